"""Claims into receivables: from the ledger and from processors' claim files."""

from engine.reconcile.claims.csvclaims import CLAIM_COLUMNS, read_claim_csv
from engine.reconcile.claims.ncpdpbatch import BatchClaims, read_batch_claims
from engine.reconcile.claims.records import ClaimItem, ClaimProblem, item_from_ledger

__all__ = [
    "CLAIM_COLUMNS",
    "BatchClaims",
    "ClaimItem",
    "ClaimProblem",
    "item_from_ledger",
    "read_batch_claims",
    "read_claim_csv",
]
