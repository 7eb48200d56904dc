"""Inquiry and correction of receivables, every change audited (who, when, before, after).

Lookups use the claim's keys — store, prescription number, date dispensed, payer
— and page through a prescription's family (its fills and payers) in order.
Corrections name fields and new values; amounts are dollars in, cents stored.
A correction and its audit row commit together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, select

from engine.money import MoneyError, parse_dollars
from engine.reconcile.codes import ItemStatus
from engine.reconcile.errors import CorrectionRefused, ItemNotFound
from engine.reconcile.sql.tables import ITEMS, PAYMENTS, audit
from engine.store.sql.models import utcnow

__all__ = ["CORRECTABLE", "correct_item", "find_items", "get_item"]

_MONEY = (
    "amount_due",
    "amount_paid",
    "markdown",
    "ingredient_cost",
    "dispensing_fee",
    "patient_pay",
)
_DATES = ("aging_date", "paid_date")
_TEXT = ("billing_method", "reason", "check_number", "payer", "prescriber_id")
CORRECTABLE = frozenset((*_MONEY, *_DATES, *_TEXT, "status"))
"""Fields a correction may change; keys (store, Rx, fill, date) never change."""


def _plain(row: Mapping[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in row.items():
        if isinstance(value, dt.datetime | dt.date):
            out[key] = value.isoformat()
        else:
            out[key] = value
    return out


def find_items(
    conn: Connection,
    *,
    store: str | None = None,
    rx_number: int | None = None,
    date_of_service: dt.date | None = None,
    payer: str | None = None,
    status: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Receivables matching every key given, in store, Rx, fill, payer order."""
    stmt = select(ITEMS)
    for column, value in (
        (ITEMS.c.store, store),
        (ITEMS.c.rx_number, rx_number),
        (ITEMS.c.date_of_service, date_of_service),
        (ITEMS.c.payer, payer),
        (ITEMS.c.status, status),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    stmt = stmt.order_by(
        ITEMS.c.store, ITEMS.c.rx_number, ITEMS.c.fill_number, ITEMS.c.payer_seq, ITEMS.c.id
    )
    rows = conn.execute(stmt.limit(limit).offset(offset)).mappings()
    return [_plain(row) for row in rows]


def get_item(conn: Connection, item_id: int) -> dict[str, Any]:
    """One receivable with every payment posted or decided against it."""
    row = conn.execute(select(ITEMS).where(ITEMS.c.id == item_id)).mappings().first()
    if row is None:
        raise ItemNotFound(f"no receivable {item_id}")
    payments = conn.execute(
        select(PAYMENTS).where(PAYMENTS.c.item_id == item_id).order_by(PAYMENTS.c.id)
    ).mappings()
    return {**_plain(row), "payments": [_plain(p) for p in payments]}


def _value(field: str, text: str | None) -> Any:
    if field in _MONEY:
        if text is None:
            raise CorrectionRefused(f"{field} cannot be empty")
        try:
            return parse_dollars(text)
        except MoneyError as exc:
            raise CorrectionRefused(f"{field}: {exc}") from exc
    if field in _DATES:
        if text is None or text == "":
            if field == "aging_date":
                raise CorrectionRefused("aging_date cannot be empty")
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise CorrectionRefused(f"{field}: {text!r} is not a date") from None
    if field == "status":
        if text not in {s.value for s in ItemStatus}:
            raise CorrectionRefused(
                f"status must be one of {', '.join(s.value for s in ItemStatus)}"
            )
        return text
    return text or None


def correct_item(
    conn: Connection,
    item_id: int,
    changes: Mapping[str, str | None],
    *,
    actor: str,
    reason: str,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Apply corrections in the caller's transaction; (before, after) of the changed fields."""
    unknown = sorted(set(changes) - CORRECTABLE)
    if unknown:
        raise CorrectionRefused(
            f"cannot change {', '.join(unknown)}; correctable: {', '.join(sorted(CORRECTABLE))}"
        )
    if not changes:
        raise CorrectionRefused("nothing to change")
    if not reason.strip():
        raise CorrectionRefused("say why (a reason is required for the audit log)")
    values = {name: _value(name, text) for name, text in changes.items()}
    current = conn.execute(select(ITEMS).where(ITEMS.c.id == item_id)).mappings().first()
    if current is None:
        raise ItemNotFound(f"no receivable {item_id}")
    before = _plain({name: current[name] for name in values})
    conn.execute(ITEMS.update().where(ITEMS.c.id == item_id).values(**values, updated_at=utcnow()))
    after = _plain(values)
    audit(
        conn,
        actor,
        "recon.correct",
        f"recon item {item_id}",
        {"before": before, "after": after, "reason": reason},
    )
    return before, after
