"""Table handles, scratch tables and the audit row shared by the SQL side of reconciliation.

Set-based work stages its input in temporary tables created on the working
connection (SQLite and PostgreSQL both drop them with the session); statements
then join them against the receivables in one pass instead of a Python loop per
row. Audit rows are written in the same transaction as the change they record,
so a change and its audit entry are durable together or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice
from typing import Any

from sqlalchemy import Column, Connection, MetaData, Table, insert

from engine.store.sql.models import AuditRow, utcnow
from engine.store.sql.recon_models import (
    ReconAdjustmentRow,
    ReconArchiveChunkRow,
    ReconArchiveRow,
    ReconBatchRow,
    ReconClaimExceptionRow,
    ReconItemRow,
    ReconPaymentRow,
)

__all__ = [
    "ADJUSTMENTS",
    "ARCHIVES",
    "ARCHIVE_CHUNKS",
    "AUDIT",
    "BATCHES",
    "CHUNK",
    "CLAIM_EXCEPTIONS",
    "ITEMS",
    "PAYMENTS",
    "audit",
    "chunks",
    "columns",
    "insert_many",
    "scratch",
]

ITEMS: Table = ReconItemRow.__table__  # type: ignore[attr-defined]
PAYMENTS: Table = ReconPaymentRow.__table__  # type: ignore[attr-defined]
ADJUSTMENTS: Table = ReconAdjustmentRow.__table__  # type: ignore[attr-defined]
BATCHES: Table = ReconBatchRow.__table__  # type: ignore[attr-defined]
CLAIM_EXCEPTIONS: Table = ReconClaimExceptionRow.__table__  # type: ignore[attr-defined]
ARCHIVES: Table = ReconArchiveRow.__table__  # type: ignore[attr-defined]
ARCHIVE_CHUNKS: Table = ReconArchiveChunkRow.__table__  # type: ignore[attr-defined]
AUDIT: Table = AuditRow.__table__  # type: ignore[attr-defined]

CHUNK = 20_000
"""Rows per executemany: large enough to amortise a round trip, small enough for memory."""

_SCRATCH = MetaData()


def scratch(conn: Connection, name: str, *columns: Column[Any]) -> Table:
    """A fresh temporary table on this connection (dropped first if a pooled one remains)."""
    existing = _SCRATCH.tables.get(name)
    if existing is not None:
        _SCRATCH.remove(existing)
    table = Table(name, _SCRATCH, *columns, prefixes=["TEMPORARY"])
    table.drop(conn, checkfirst=True)
    table.create(conn)
    return table


def chunks(rows: Iterable[Mapping[str, Any]], size: int = CHUNK) -> Iterator[list[Any]]:
    """Rows in lists of ``size``."""
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def insert_many(conn: Connection, table: Table, rows: Iterable[Mapping[str, Any]]) -> int:
    """Insert rows in chunks (executemany); how many."""
    count = 0
    for batch in chunks(rows):
        conn.execute(insert(table), batch)
        count += len(batch)
    return count


def audit(
    conn: Connection,
    actor: str,
    action: str,
    subject: str | None,
    detail: Mapping[str, Any],
) -> None:
    """Append an audit row in the caller's transaction."""
    conn.execute(
        insert(AUDIT),
        {
            "at": utcnow(),
            "actor": actor,
            "action": action,
            "subject": subject,
            "detail": dict(detail),
        },
    )


def columns(table: Table, names: Sequence[str]) -> list[Column[Any]]:
    """Copies of a table's columns, for a scratch table of the same shape."""
    return [Column(name, table.c[name].type) for name in names]
