"""Reports of loads: the claims load's exception lists and summary, the payment detail.

Every list is sorted by prescription and refill within store within billing
method; none shows a patient (nothing about patients is stored).
"""

from __future__ import annotations

from sqlalchemy import Connection

from engine.reconcile.codes import ClaimCategory
from engine.reconcile.reports.model import Kind, Report, ReportColumn
from engine.reconcile.reports.params import ReportParams, fetch, latest_batch

__all__ = ["claim_exceptions", "claims_summary", "payment_detail", "payment_summary"]

RX = ReportColumn("rx_number", "Rx")
FILL = ReportColumn("fill_number", "Refill")
DOS = ReportColumn("date_of_service", "Dispensed", Kind.DATE)
PAYER = ReportColumn("payer", "Payer")
COUNT = ReportColumn("claims", "Claims", Kind.COUNT)

_EXCEPTION_COLUMNS: dict[ClaimCategory, list[ReportColumn]] = {
    ClaimCategory.RESUBMITTED: [RX, FILL, DOS, ReportColumn("original", "Original on file")],
    ClaimCategory.DUPLICATE: [RX, FILL, DOS, PAYER, ReportColumn("reason", "Why")],
    ClaimCategory.UNAUTHORIZED: [
        RX,
        FILL,
        DOS,
        ReportColumn("prescriber_id", "Prescriber"),
        ReportColumn("reason", "Why"),
    ],
    ClaimCategory.ZERO_BALANCE: [RX, FILL, DOS, PAYER],
    ClaimCategory.COB_LIMIT: [RX, FILL, DOS, PAYER, ReportColumn("amount_due", "Due", Kind.MONEY)],
    ClaimCategory.INVALID: [ReportColumn("row", "Row"), RX, ReportColumn("reason", "Problem")],
}


def claim_exceptions(conn: Connection, params: ReportParams, category: ClaimCategory) -> Report:
    """One category of a claims load's exceptions (counted by store, amounts not shown)."""
    batch = latest_batch(conn, "claims", params.batch)
    rows = fetch(
        conn,
        """SELECT COALESCE(billing_method, '') AS billing_method, COALESCE(store, '') AS store,
            rx_number, fill_number, date_of_service, payer, amount_due, prescriber_id, row,
            reason, original_found, 1 AS claims
        FROM recon_claim_exceptions WHERE batch_id = :batch AND category = :category
        ORDER BY 1, 2, rx_number, fill_number, row""",
        batch=batch,
        category=category.value,
    )
    for row in rows:
        found = row.pop("original_found")
        row["original"] = "" if found is None else ("found" if found else "NOT FOUND")
    title = category.value.replace("_", " ")
    return Report(
        f"claims-{category.value.replace('_', '-')}",
        f"Claims load {batch}: {title} claims",
        [*_EXCEPTION_COLUMNS[category], COUNT],
        rows,
    )


def claims_summary(conn: Connection, params: ReportParams) -> Report:
    """Valid claims added by a load: amount due by store within billing method."""
    batch = latest_batch(conn, "claims", params.batch)
    rows = fetch(
        conn,
        """SELECT billing_method, store, COUNT(*) AS claims, SUM(amount_due) AS amount_due
        FROM recon_items WHERE load_id = :batch GROUP BY billing_method, store
        ORDER BY billing_method, store""",
        batch=batch,
    )
    return Report(
        "claims-summary",
        f"Claims load {batch}: valid claims added, amount due by store",
        [COUNT, ReportColumn("amount_due", "Amount due", Kind.MONEY)],
        rows,
    )


_PAYMENT_ROWS = """
SELECT COALESCE(i.billing_method, '(no claim)') AS billing_method, COALESCE(p.store, '') AS store,
    p.rx_number, p.fill_number, p.date_of_service, p.payer, i.ingredient_cost,
    i.patient_pay, i.dispensing_fee, i.amount_due, p.paid, p.reason_code, p.status_code,
    p.outcome, p.line, 1 AS payments
FROM recon_payments p
LEFT JOIN recon_items i ON i.id = COALESCE(p.item_id, (
    SELECT MIN(m.id) FROM recon_items m WHERE m.store = p.store AND m.rx_number = p.rx_number
    AND m.date_of_service = p.date_of_service AND m.payer = p.payer AND m.status <> 'reversed'))
WHERE p.batch_id = :batch
ORDER BY 1, 2, p.rx_number, p.fill_number, p.line
"""


def payment_detail(conn: Connection, params: ReportParams) -> Report:
    """Every payment of a load; a claim's payments (original, reversal, revised) together."""
    batch = latest_batch(conn, "payments", params.batch)
    rows = fetch(conn, _PAYMENT_ROWS, batch=batch)
    return Report(
        "payment-detail",
        f"Payment load {batch}: payment detail",
        [
            RX,
            FILL,
            DOS,
            ReportColumn("ingredient_cost", "Ingredient", Kind.MONEY),
            ReportColumn("patient_pay", "Copay", Kind.MONEY),
            ReportColumn("dispensing_fee", "Fee", Kind.MONEY),
            ReportColumn("amount_due", "Due", Kind.MONEY),
            ReportColumn("paid", "Paid", Kind.MONEY),
            ReportColumn("status_code", "CLP02"),
            ReportColumn("reason_code", "Code"),
            ReportColumn("payments", "Payments", Kind.COUNT),
        ],
        rows,
    )


def payment_summary(conn: Connection, params: ReportParams) -> Report:
    """A load's payments by store within plan: how many and how much."""
    batch = latest_batch(conn, "payments", params.batch)
    rows = fetch(
        conn,
        f"""SELECT billing_method, store, COUNT(*) AS payments, SUM(paid) AS paid
        FROM ({_PAYMENT_ROWS.replace("ORDER BY 1, 2, p.rx_number, p.fill_number, p.line", "")}) d
        GROUP BY billing_method, store ORDER BY billing_method, store""",
        batch=batch,
    )
    return Report(
        "payment-summary",
        f"Payment load {batch}: summary by store and plan",
        [
            ReportColumn("payments", "Payments", Kind.COUNT),
            ReportColumn("paid", "Paid", Kind.MONEY),
        ],
        rows,
    )
