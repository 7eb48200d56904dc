"""Paid claims from the ledger become receivables; reversed ones close theirs.

Each load reads the ledger entries recorded since the previous ledger load (the
batch keeps the last entry id it read) and keeps each claim key's final state
in that span: a claim paid, reversed and paid again (a rebill) is loaded once,
with its new figures. A reversal closes the key's open item as ``reversed``; an
item the payer has already paid stays as it is, and the payer's recoupment
arrives as a negative payment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from sqlalchemy import Column, Connection, String, func, select, text

from engine.reconcile.claims.records import ClaimItem, ClaimProblem, item_from_ledger
from engine.reconcile.sql.claims import ClaimLoad, load_claims
from engine.reconcile.sql.tables import BATCHES, insert_many, scratch
from engine.store.sql.models import ClaimEntryRow, utcnow

__all__ = ["load_ledger_claims"]

_CLAIMS = ClaimEntryRow.__table__  # type: ignore[attr-defined]


def _watermark(conn: Connection) -> int:
    marks = conn.execute(
        select(BATCHES.c.summary).where(BATCHES.c.kind == "claims", BATCHES.c.source == "ledger")
    ).scalars()
    return max((int((m or {}).get("through_entry", 0)) for m in marks), default=0)


def _final_states(conn: Connection, after: int) -> tuple[dict[str, tuple], int]:
    """Each claim key's last paid or reversed entry after ``after``, and the last id read."""
    last = after
    states: dict[str, tuple] = {}
    stmt = (
        select(
            _CLAIMS.c.id,
            _CLAIMS.c.claim_key,
            _CLAIMS.c.kind,
            _CLAIMS.c.request,
            _CLAIMS.c.decision,
            _CLAIMS.c.payer_seq,
        )
        .where(
            _CLAIMS.c.id > after,
            _CLAIMS.c.kind.in_(("paid", "reversed")),
            _CLAIMS.c.claim_key.is_not(None),
        )
        .order_by(_CLAIMS.c.id)
    )
    for row in conn.execute(stmt.execution_options(yield_per=5000)):
        last = row.id
        previous = states.get(row.claim_key)
        reversed_before = row.kind == "reversed" or (previous is not None and previous[4])
        states[row.claim_key] = (
            row.id,
            row.kind,
            row.request,
            row.decision,
            reversed_before,
            row.payer_seq,
        )
    top = conn.execute(select(func.max(_CLAIMS.c.id))).scalar()
    return states, max(last, top or 0)


def _items(states: dict[str, tuple]) -> Iterator[ClaimItem | ClaimProblem]:
    for key, (entry_id, kind, request, decision, _, payer_seq) in states.items():
        if kind != "paid" or request is None:
            continue
        try:
            yield item_from_ledger(entry_id, key, request, decision, payer_seq)
        except (KeyError, TypeError, ValueError) as exc:
            yield ClaimProblem(entry_id, f"ledger entry {entry_id}: {exc}")


def load_ledger_claims(conn: Connection, *, actor: str, aging_date: dt.date) -> ClaimLoad:
    """Load the ledger's paid claims since the last ledger load; close reversed ones."""
    after = _watermark(conn)
    states, through = _final_states(conn, after)
    reversed_keys = [key for key, state in states.items() if state[4]]
    table = scratch(conn, "stage_reversed", Column("claim_key", String(160), primary_key=True))
    insert_many(conn, table, ({"claim_key": key} for key in reversed_keys))
    closed = conn.execute(
        text(
            "UPDATE recon_items SET status = 'reversed', updated_at = :now"
            " WHERE status = 'open' AND claim_key IN (SELECT claim_key FROM stage_reversed)"
        ),
        {"now": utcnow()},
    ).rowcount
    conn.execute(text("DROP TABLE stage_reversed"))
    result = load_claims(conn, _items(states), source="ledger", actor=actor, aging_date=aging_date)
    result.reversed = closed
    summary = {
        "counts": result.counts,
        "aging_date": aging_date.isoformat(),
        "through_entry": through,
        "reversed": closed,
    }
    conn.execute(BATCHES.update().where(BATCHES.c.id == result.batch_id).values(summary=summary))
    return result
