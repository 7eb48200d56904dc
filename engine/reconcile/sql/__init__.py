"""The SQL side of reconciliation: set-based loads, runs, maintenance and archive."""

from engine.reconcile.sql.archive import (
    ArchiveResult,
    archive_closed,
    list_archives,
    restore_archive,
    search_archive,
)
from engine.reconcile.sql.claims import ClaimLoad, load_claims
from engine.reconcile.sql.ledger import load_ledger_claims
from engine.reconcile.sql.maintenance import CORRECTABLE, correct_item, find_items, get_item
from engine.reconcile.sql.payments import PaymentLoad, store_payments
from engine.reconcile.sql.run import RunResult, reconcile

__all__ = [
    "CORRECTABLE",
    "ArchiveResult",
    "ClaimLoad",
    "PaymentLoad",
    "RunResult",
    "archive_closed",
    "correct_item",
    "find_items",
    "get_item",
    "list_archives",
    "load_claims",
    "load_ledger_claims",
    "reconcile",
    "restore_archive",
    "search_archive",
    "store_payments",
]
