"""Reconciliation: claims into receivables, payments (835, CSV) matched with tolerance rules.

Pure parts (rules, file readers, report layout) sit beside the SQL adapters in
``engine.reconcile.sql``; the shells (``rxadj recon``, ``/v1/recon``) open the
database and call them in one transaction per operation.
"""

from engine.reconcile.codes import ClaimCategory, ItemStatus, Outcome, ProviderClass
from engine.reconcile.errors import (
    AlreadyLoaded,
    ClaimFileError,
    CorrectionRefused,
    FileIssue,
    ItemNotFound,
    ReconError,
    RemittanceFileError,
)

__all__ = [
    "AlreadyLoaded",
    "ClaimCategory",
    "ClaimFileError",
    "CorrectionRefused",
    "FileIssue",
    "ItemNotFound",
    "ItemStatus",
    "Outcome",
    "ProviderClass",
    "ReconError",
    "RemittanceFileError",
]
