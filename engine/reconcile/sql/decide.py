"""The decision rules of a reconciliation pass, as SQL expressions over one payment.

Within a pass, ``w`` is the payment (its cents ``w.paid``, CLP02 ``w.status_code``,
the tolerance staged for it ``w.min_ppm``/``w.max_diff``, and ``w.flagged``, an
adjustment code never accepted as a markdown) and ``i`` its receivable as the
previous passes left it. In order:

* negative (a reversal, CLP02 22, or a negative amount): applied to the claim; a
  paid claim reopens with its balance due;
* the claim is already paid: duplicate, not posted, whatever the amount;
* nothing paid: denied — the claim closes at zero with the reason code
  (already denied: duplicate);
* paid with what was paid before reaching the amount due: paid in full;
* short, carrying an adjustment code the rules never write off: exception;
* short within the tolerance (share paid AND difference): accepted, the
  shortfall recorded as a markdown (exactly at the limit passes);
* otherwise: partial payment exception, not posted.

The comparisons are integer arithmetic on cents and parts per million, so "one
cent beyond the limit fails" holds exactly on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

__all__ = ["APPLY_ITEMS", "CLASSIFY"]

_NEGATIVE = "(w.paid < 0 OR w.status_code = '22')"
_AFTER = "(i.amount_paid + w.paid)"
_FULL = f"{_AFTER} >= i.amount_due"
_WITHIN = (
    f"{_AFTER} * 1000000 >= i.amount_due * w.min_ppm AND i.amount_due - {_AFTER} <= w.max_diff"
)

_OUTCOME = f"""CASE
    WHEN {_NEGATIVE} THEN 'negative'
    WHEN i.status = 'paid' THEN 'duplicate'
    WHEN w.paid = 0 AND i.status = 'denied' THEN 'duplicate'
    WHEN w.paid = 0 THEN 'denied'
    WHEN {_FULL} THEN 'paid_in_full'
    WHEN w.flagged IS NOT NULL THEN 'partial_exception'
    WHEN {_WITHIN} THEN 'partial_accepted'
    ELSE 'partial_exception' END"""

_ACCEPTED_SHORT = (
    f"NOT {_NEGATIVE} AND i.status <> 'paid' AND w.paid <> 0 AND NOT ({_FULL})"
    f" AND w.flagged IS NULL AND {_WITHIN}"
)

_NOTE = f"""CASE
    WHEN {_NEGATIVE} AND i.status = 'paid' THEN 'claim reopened: balance due again'
    WHEN {_NEGATIVE} THEN NULL
    WHEN i.status = 'paid' THEN 'claim already paid'
    WHEN w.paid = 0 AND i.status = 'denied' THEN 'claim already denied'
    WHEN w.paid = 0 THEN NULL
    WHEN {_FULL} THEN CASE WHEN {_AFTER} > i.amount_due THEN 'overpaid' END
    WHEN w.flagged IS NOT NULL THEN 'adjustment ' || w.flagged || ' is never a markdown'
    WHEN {_WITHIN} THEN NULL
    ELSE 'outside tolerance' END"""

CLASSIFY = f"""
INSERT INTO work_decisions (payment_id, outcome, note, due_before, paid_before, markdown)
SELECT w.payment_id, {_OUTCOME}, {_NOTE}, i.amount_due, i.amount_paid,
    CASE WHEN {_ACCEPTED_SHORT} THEN i.amount_due - {_AFTER} ELSE 0 END
FROM work_payments w JOIN recon_items i ON i.id = w.item_id
WHERE w.seq = :seq AND w.candidates = 1
"""
"""Decide pass ``:seq``: each claim's ``seq``-th payment of the run, all claims at once."""

APPLY_ITEMS = """
UPDATE recon_items SET
    amount_paid = recon_items.amount_paid + w.paid,
    markdown = CASE
        WHEN d.outcome = 'partial_accepted' THEN d.markdown
        WHEN d.outcome = 'paid_in_full' THEN 0
        WHEN d.outcome = 'negative' AND recon_items.status = 'paid' THEN 0
        ELSE recon_items.markdown END,
    status = CASE
        WHEN d.outcome IN ('paid_in_full', 'partial_accepted') THEN 'paid'
        WHEN d.outcome = 'denied' THEN 'denied'
        WHEN recon_items.status = 'paid' THEN 'open'
        ELSE recon_items.status END,
    reason = CASE
        WHEN d.outcome = 'denied' THEN COALESCE(w.reason_code, 'CLP02-' || w.status_code)
        WHEN d.outcome IN ('paid_in_full', 'partial_accepted') THEN NULL
        ELSE recon_items.reason END,
    paid_date = CASE
        WHEN d.outcome IN ('paid_in_full', 'partial_accepted', 'denied') THEN w.payment_date
        WHEN recon_items.status = 'paid' THEN NULL
        ELSE recon_items.paid_date END,
    check_number = w.check_number,
    rule_version = w.rule_version,
    updated_at = :now
FROM work_payments w JOIN work_decisions d ON d.payment_id = w.payment_id
WHERE w.item_id = recon_items.id AND w.seq = :seq
    AND d.outcome IN ('paid_in_full', 'partial_accepted', 'negative', 'denied')
"""
"""Post pass ``:seq``'s decisions to the receivables (exceptions are not posted)."""
