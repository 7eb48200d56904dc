"""What a report is asked for, and the shared helpers its queries use."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Date, bindparam, select, text

from engine.reconcile.sql.tables import BATCHES

__all__ = ["ReportParams", "fetch", "latest_batch"]

_DATE_COLUMNS = (
    "date_of_service",
    "payment_date",
    "aging_date",
    "paid_date",
    "fiscal_date",
    "d30",
    "d60",
    "d90",
    "before",
    "on",
)


@dataclass(frozen=True, slots=True)
class ReportParams:
    """Which load or run, and which dates; None means the latest load or run."""

    as_of: dt.date
    batch: int | None = None
    run: int | None = None
    before: dt.date | None = None
    on: dt.date | None = None
    payer: str | None = None


def latest_batch(conn: Connection, kind: str, chosen: int | None) -> int | None:
    """The chosen batch, or the newest of its kind."""
    if chosen is not None:
        return chosen
    return conn.execute(
        select(BATCHES.c.id).where(BATCHES.c.kind == kind).order_by(BATCHES.c.id.desc()).limit(1)
    ).scalar()


def fetch(conn: Connection, sql: str, **params: Any) -> list[dict[str, Any]]:
    """Rows as dictionaries; date columns and date parameters come back as dates on SQLite too."""
    clause = text(sql)
    dated = [name for name in _DATE_COLUMNS if f":{name}" in sql]
    if dated:
        clause = clause.bindparams(*(bindparam(name, type_=Date) for name in dated))
    result = conn.execute(clause, params)
    keys = list(result.keys())
    rows = [dict(zip(keys, row, strict=True)) for row in result]
    for row in rows:
        for key in keys:
            value = row[key]
            if key in _DATE_COLUMNS and isinstance(value, str):
                row[key] = dt.date.fromisoformat(value[:10])
    return rows
