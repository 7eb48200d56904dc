"""Reports of a reconciliation run: one per outcome, and the summary by claim age.

Each shows what was decided and what changed: the amount due and paid, the
difference and the share paid, the rule version that judged the payment and,
for duplicates and negatives, the payment already on the claim.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, select

from engine.reconcile.codes import Outcome
from engine.reconcile.reports.model import Kind, Report, ReportColumn, share
from engine.reconcile.reports.params import ReportParams, fetch, latest_batch
from engine.reconcile.sql.tables import BATCHES

__all__ = [
    "OUTCOME_REPORTS",
    "age_limits",
    "outcome_report",
    "rules_used",
    "summary_by_age",
]

_RX = ReportColumn("rx_number", "Rx")
_FILL = ReportColumn("fill_number", "Refill")
_DOS = ReportColumn("date_of_service", "Dispensed", Kind.DATE)
_PAYER = ReportColumn("payer", "Payer")
_PLACE = ReportColumn("payer_seq", "Payer #")
"""The matched claim's payer place (1 primary, 2, 3): a fill's payers are told apart."""
_DUE = ReportColumn("due_before", "Due", Kind.MONEY)
_PAID = ReportColumn("paid", "Paid", Kind.MONEY)
_DIFF = ReportColumn("difference", "Difference", Kind.MONEY)
_PCT = ReportColumn("percent", "% paid", Kind.PERCENT)
_NOTE = ReportColumn("note", "Note")
_COUNT = ReportColumn("payments", "Payments", Kind.COUNT)
_RULE = ReportColumn("rule_version", "Rule")

OUTCOME_REPORTS: dict[str, tuple[tuple[Outcome, ...], str, list[ReportColumn]]] = {
    "no-match": (
        (Outcome.NO_MATCH,),
        "payments with no matching claim",
        [_RX, _FILL, _DOS, _PAYER, _PAID, _NOTE, _COUNT],
    ),
    "duplicate-payments": (
        (Outcome.DUPLICATE,),
        "duplicate payments (not posted)",
        [
            _RX,
            _FILL,
            _DOS,
            _PAYER,
            _PLACE,
            _DUE,
            _PAID,
            ReportColumn("paid_before", "Paid before", Kind.MONEY, total=False),
            ReportColumn("paid_date", "Paid on", Kind.DATE),
            _NOTE,
            _COUNT,
        ],
    ),
    "partial-exceptions": (
        (Outcome.PARTIAL_EXCEPTION,),
        "partial payments outside tolerance (not posted)",
        [_RX, _FILL, _DOS, _PAYER, _PLACE, _DUE, _PAID, _DIFF, _PCT, _NOTE, _RULE, _COUNT],
    ),
    "denied": (
        (Outcome.DENIED,),
        "denied payments (closed at zero)",
        [_RX, _FILL, _DOS, _PAYER, _PLACE, _DUE, _PAID, ReportColumn("reason", "Reason"), _COUNT],
    ),
    "negative-payments": (
        (Outcome.NEGATIVE,),
        "negative payments (applied to the claim)",
        [
            _RX,
            _FILL,
            _DOS,
            _PAYER,
            _PLACE,
            _DUE,
            _PAID,
            ReportColumn("paid_before", "Paid before", Kind.MONEY, total=False),
            ReportColumn("original_ref", "Reverses"),
            _NOTE,
            _COUNT,
        ],
    ),
    "accepted": (
        (Outcome.PAID_IN_FULL, Outcome.PARTIAL_ACCEPTED),
        "payments accepted (paid in full or within tolerance)",
        [
            _RX,
            _FILL,
            _DOS,
            _PAYER,
            _PLACE,
            _DUE,
            _PAID,
            ReportColumn("markdown", "Markdown", Kind.MONEY),
            _PCT,
            _RULE,
            _COUNT,
        ],
    ),
    "rejected-payments": (
        (Outcome.REJECTED,),
        "payment rows that could not be read (not posted)",
        [ReportColumn("line", "Line"), _RX, _PAYER, _PAID, _NOTE, _COUNT],
    ),
}
"""Report name → (outcomes, title, columns)."""

_ROWS = """
SELECT COALESCE(i.billing_method, '(no claim)') AS billing_method,
    COALESCE(p.store, '') AS store, p.rx_number, p.fill_number, p.date_of_service, p.payer,
    i.payer_seq,
    p.due_before, p.paid, p.paid_before, p.markdown, p.note, p.rule_version, p.line,
    p.original_ref, i.paid_date, COALESCE(i.reason, p.reason_code) AS reason, 1 AS payments
FROM recon_payments p LEFT JOIN recon_items i ON i.id = p.item_id
WHERE p.run_id = :run AND p.outcome IN ({outcomes})
ORDER BY 1, 2, p.rx_number, p.fill_number, p.batch_id, p.line
"""


def rules_used(conn: Connection, run: int | None) -> list[str]:
    """Report notes naming the tolerance rules a run used (the built-in default says so)."""
    summary = conn.execute(select(BATCHES.c.summary).where(BATCHES.c.id == run)).scalar()
    return [f"tolerance rule used: {rule}" for rule in (summary or {}).get("rules", [])]


def outcome_report(conn: Connection, params: ReportParams, name: str) -> Report:
    """The named outcome report of a run."""
    outcomes, title, columns = OUTCOME_REPORTS[name]
    run = latest_batch(conn, "run", params.run)
    listed = ", ".join(f"'{o.value}'" for o in outcomes)
    rows = fetch(conn, _ROWS.format(outcomes=listed), run=run)
    for row in rows:
        due, paid = row["due_before"], row["paid"]
        row["difference"] = None if due is None else due - (row["paid_before"] or 0) - paid
        row["percent"] = share((row["paid_before"] or 0) + paid, due)
    return Report(
        name,
        f"Reconciliation run {run}: {title}",
        columns,
        rows,
        notes=rules_used(conn, run),
        ratio=("percent", "paid", "due_before") if _PCT in columns else None,
    )


def summary_by_age(conn: Connection, params: ReportParams) -> Report:
    """The run's posted payments by claim age, by store within billing method."""
    run = latest_batch(conn, "run", params.run)
    rows = fetch(
        conn,
        """SELECT i.billing_method, i.store,
            CASE WHEN i.aging_date > :d30 THEN '0-30' WHEN i.aging_date > :d60 THEN '31-60'
                WHEN i.aging_date > :d90 THEN '61-90' ELSE '90+' END AS age,
            COUNT(*) AS payments, SUM(p.due_before) AS due_before, SUM(p.paid) AS paid,
            SUM(p.due_before - p.paid_before - p.paid) AS difference
        FROM recon_payments p JOIN recon_items i ON i.id = p.item_id
        WHERE p.run_id = :run AND p.outcome IN ('paid_in_full', 'partial_accepted', 'denied')
        GROUP BY i.billing_method, i.store, 3 ORDER BY 1, 2, 3""",
        run=run,
        **age_limits(params),
    )
    for row in rows:
        row["percent"] = share(row["paid"], row["due_before"])
    return Report(
        "payment-summary-by-age",
        f"Reconciliation run {run}: payments posted, by claim age",
        [
            ReportColumn("age", "Age (days)"),
            _COUNT,
            _DUE,
            _PAID,
            _DIFF,
            _PCT,
        ],
        rows,
        notes=rules_used(conn, run),
        ratio=("percent", "paid", "due_before"),
    )


def age_limits(params: ReportParams) -> dict[str, object]:
    """The dates 30, 60 and 90 days before the as-of date (``d30``, ``d60``, ``d90``)."""
    return {f"d{days}": params.as_of - dt.timedelta(days=days) for days in (30, 60, 90)}
