"""Archive and purge closed receivables; search and restore archives. All audited.

Closed items (paid, denied, reversed) settled before a date leave the working
tables together with their payments and claim adjustments. They are kept as
gzip-compressed JSON lines in ``recon_archive_chunks``, written in the same
transaction as the purge — so an item is never both gone and unarchived. An
archive can be searched by the claim keys and restored whole, with its rows'
original ids; open items never leave.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Date,
    DateTime,
    Table,
    bindparam,
    insert,
    select,
    text,
)

from engine.reconcile.errors import ReconError
from engine.reconcile.sql.tables import (
    ADJUSTMENTS,
    ARCHIVE_CHUNKS,
    ARCHIVES,
    ITEMS,
    PAYMENTS,
    audit,
    chunks,
    scratch,
)
from engine.store.sql.models import utcnow

__all__ = ["ArchiveResult", "archive_closed", "list_archives", "restore_archive", "search_archive"]

_TABLES: dict[str, Table] = {"item": ITEMS, "payment": PAYMENTS, "adjustment": ADJUSTMENTS}
_CHUNK_ROWS = 10_000
_SELECT = {
    "item": "SELECT i.* FROM recon_items i JOIN stage_archive s ON s.id = i.id ORDER BY i.id",
    "payment": """SELECT p.* FROM recon_payments p JOIN stage_archive s ON s.id = p.item_id
        ORDER BY p.id""",
    "adjustment": """SELECT a.* FROM recon_adjustments a
        JOIN recon_payments p ON p.id = a.payment_id JOIN stage_archive s ON s.id = p.item_id
        ORDER BY a.id""",
}
_DELETE = (
    """DELETE FROM recon_adjustments WHERE payment_id IN (
        SELECT p.id FROM recon_payments p JOIN stage_archive s ON s.id = p.item_id)""",
    "DELETE FROM recon_payments WHERE item_id IN (SELECT id FROM stage_archive)",
    "DELETE FROM recon_items WHERE id IN (SELECT id FROM stage_archive)",
)


@dataclass(frozen=True, slots=True)
class ArchiveResult:
    """An archive written: its id and what it holds."""

    archive_id: int | None
    items: int
    payments: int
    adjustments: int
    amount_due: int
    amount_paid: int


def _encode(kind: str, row: Any) -> bytes:
    values = {
        key: value.isoformat() if isinstance(value, dt.date | dt.datetime) else value
        for key, value in row._mapping.items()
    }
    return json.dumps({"t": kind, "r": values}, separators=(",", ":")).encode() + b"\n"


def _decode(table: Table, values: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in values.items():
        kind = table.c[key].type
        kind = getattr(kind, "impl", kind)
        if value is not None and isinstance(kind, DateTime):
            moment = dt.datetime.fromisoformat(value)
            out[key] = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
        elif value is not None and isinstance(kind, Date):
            out[key] = dt.date.fromisoformat(value[:10])
        else:
            out[key] = value
    return out


def archive_closed(conn: Connection, before: dt.date, *, actor: str) -> ArchiveResult:
    """Move closed items settled before ``before`` (and their payments) into an archive."""
    scratch(conn, "stage_archive", Column("id", BigInteger, primary_key=True))
    conn.execute(
        text(
            """INSERT INTO stage_archive (id) SELECT id FROM recon_items
            WHERE status IN ('paid', 'denied', 'reversed')
            AND COALESCE(paid_date, aging_date) < :before"""
        ).bindparams(bindparam("before", type_=Date)),
        {"before": before},
    )
    counts = {"item": 0, "payment": 0, "adjustment": 0}
    due = paid = 0
    digest = hashlib.sha256()
    pieces: list[bytes] = []
    for kind, sql in _SELECT.items():
        for row in conn.execute(text(sql).execution_options(yield_per=_CHUNK_ROWS)):
            counts[kind] += 1
            if kind == "item":
                due += row.amount_due
                paid += row.amount_paid
            encoded = _encode(kind, row)
            digest.update(encoded)
            pieces.append(encoded)
    if counts["item"] == 0:
        conn.execute(text("DROP TABLE stage_archive"))
        return ArchiveResult(None, 0, 0, 0, 0, 0)
    archive_id = conn.execute(
        insert(ARCHIVES).returning(ARCHIVES.c.id),
        {
            "at": utcnow(),
            "actor": actor,
            "before": before,
            "items": counts["item"],
            "payments": counts["payment"],
            "adjustments": counts["adjustment"],
            "amount_due": due,
            "amount_paid": paid,
            "digest": digest.hexdigest(),
        },
    ).scalar_one()
    for seq, part in enumerate(chunks(({"p": p} for p in pieces), _CHUNK_ROWS)):
        data = gzip.compress(b"".join(p["p"] for p in part), mtime=0)
        conn.execute(insert(ARCHIVE_CHUNKS), {"archive_id": archive_id, "seq": seq, "data": data})
    for statement in _DELETE:
        conn.execute(text(statement))
    conn.execute(text("DROP TABLE stage_archive"))
    result = ArchiveResult(
        archive_id, counts["item"], counts["payment"], counts["adjustment"], due, paid
    )
    audit(
        conn,
        actor,
        "recon.archive",
        f"recon archive {archive_id}",
        {"before": before.isoformat(), "items": result.items, "payments": result.payments},
    )
    return result


def _records(conn: Connection, archive_id: int) -> Iterator[tuple[str, dict[str, Any]]]:
    stmt = (
        select(ARCHIVE_CHUNKS.c.data)
        .where(ARCHIVE_CHUNKS.c.archive_id == archive_id)
        .order_by(ARCHIVE_CHUNKS.c.seq)
    )
    for data in conn.execute(stmt).scalars():
        for line in gzip.decompress(data).splitlines():
            record = json.loads(line)
            yield record["t"], record["r"]


def list_archives(conn: Connection) -> list[dict[str, Any]]:
    """Every archive, newest first."""
    rows = conn.execute(select(ARCHIVES).order_by(ARCHIVES.c.id.desc())).mappings()
    return [
        {k: v.isoformat() if isinstance(v, dt.date | dt.datetime) else v for k, v in row.items()}
        for row in rows
    ]


def search_archive(
    conn: Connection,
    *,
    archive_id: int | None = None,
    store: str | None = None,
    rx_number: int | None = None,
    payer: str | None = None,
    date_of_service: dt.date | None = None,
) -> list[dict[str, Any]]:
    """Archived items matching every key given, with the archive each is in."""
    ids = [archive_id] if archive_id is not None else [a["id"] for a in list_archives(conn)]
    found = []
    for current in ids:
        for kind, row in _records(conn, current):
            if kind != "item":
                continue
            if (
                (store is None or row["store"] == store)
                and (rx_number is None or row["rx_number"] == rx_number)
                and (payer is None or row["payer"] == payer)
                and (
                    date_of_service is None
                    or row["date_of_service"][:10] == date_of_service.isoformat()
                )
            ):
                found.append({**row, "archive_id": current})
    return found


def restore_archive(conn: Connection, archive_id: int, *, actor: str) -> dict[str, int]:
    """Put an archive's rows back with their ids; an archive is restored once."""
    archive = conn.execute(select(ARCHIVES).where(ARCHIVES.c.id == archive_id)).mappings().first()
    if archive is None:
        raise ReconError(f"no archive {archive_id}")
    if archive["restored_at"] is not None:
        raise ReconError(f"archive {archive_id} was restored on {archive['restored_at']:%Y-%m-%d}")
    counts = {"item": 0, "payment": 0, "adjustment": 0}
    batch: dict[str, list[dict[str, Any]]] = {kind: [] for kind in _TABLES}
    for kind, row in _records(conn, archive_id):
        batch[kind].append(_decode(_TABLES[kind], row))
        counts[kind] += 1
    for kind in ("item", "payment", "adjustment"):
        for part in chunks(batch[kind], _CHUNK_ROWS):
            conn.execute(insert(_TABLES[kind]), part)
    conn.execute(ARCHIVES.update().where(ARCHIVES.c.id == archive_id).values(restored_at=utcnow()))
    audit(conn, actor, "recon.restore", f"recon archive {archive_id}", counts)
    return counts
