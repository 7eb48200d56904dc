"""Receivables reports: aging detail and summary, open and paid claims, days to payment, fees.

Age is counted from the aging date (the claims load's period end) to the as-of
date, in the 30/60/90+ buckets, by store within billing method. Days to payment
run from the date of service to the payment date, by payer.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Connection

from engine.reconcile.reports.model import Kind, Report, ReportColumn, share
from engine.reconcile.reports.params import ReportParams, fetch
from engine.reconcile.reports.runs import age_limits

__all__ = [
    "BUCKETS",
    "aging_detail",
    "aging_summary",
    "bucket",
    "days_to_payment",
    "open_claims",
    "paid_claims",
    "provider_adjustments",
]

BUCKETS = ("0-30", "31-60", "61-90", "90+")
_RX = ReportColumn("rx_number", "Rx")
_FILL = ReportColumn("fill_number", "Refill")
_DOS = ReportColumn("date_of_service", "Dispensed", Kind.DATE)
_AGING = ReportColumn("aging_date", "Aging date", Kind.DATE)
_BALANCE = ReportColumn("balance", "Balance due", Kind.MONEY)
_COUNT = ReportColumn("claims", "Claims", Kind.COUNT)
_PAYER = ReportColumn("payer", "Payer")
_PLACE = ReportColumn("payer_seq", "Payer #")
"""The payer's place for the fill (1 primary, 2, 3): each payer of a fill is its own line."""
_OPEN = """
SELECT billing_method, store, rx_number, fill_number, date_of_service, payer, payer_seq,
    aging_date,
    status, reason, amount_due, amount_paid, amount_due - amount_paid AS balance, 1 AS claims
FROM recon_items WHERE status = 'open' {where}
ORDER BY billing_method, store, rx_number, fill_number, payer_seq
"""


def bucket(age: int) -> str:
    """The aging bucket of an age in days."""
    if age <= 30:
        return BUCKETS[0]
    if age <= 60:
        return BUCKETS[1]
    return BUCKETS[2] if age <= 90 else BUCKETS[3]


def aging_detail(conn: Connection, params: ReportParams) -> Report:
    """Every open claim with its age and bucket."""
    where = "AND payer = :payer" if params.payer else ""
    rows = fetch(conn, _OPEN.format(where=where), payer=params.payer)
    for row in rows:
        row["age"] = (params.as_of - row["aging_date"]).days
        row["bucket"] = bucket(row["age"])
    return Report(
        "aging-detail",
        f"Claims aging detail as of {params.as_of}",
        [
            _RX,
            _FILL,
            _DOS,
            _PAYER,
            _PLACE,
            _AGING,
            ReportColumn("age", "Days", Kind.NUMBER),
            ReportColumn("bucket", "Age"),
            _BALANCE,
            ReportColumn("status", "Status"),
            ReportColumn("reason", "RJ code"),
            _COUNT,
        ],
        rows,
    )


def aging_summary(conn: Connection, params: ReportParams) -> Report:
    """Count and balance due per age bucket, by store within billing method."""
    where = "AND payer = :payer" if params.payer else ""
    found = fetch(
        conn,
        f"""SELECT billing_method, store,
            CASE WHEN aging_date > :d30 THEN '0-30' WHEN aging_date > :d60 THEN '31-60'
                WHEN aging_date > :d90 THEN '61-90' ELSE '90+' END AS age,
            COUNT(*) AS claims, SUM(amount_due - amount_paid) AS balance
        FROM recon_items WHERE status = 'open' {where}
        GROUP BY billing_method, store, 3 ORDER BY 1, 2""",
        payer=params.payer,
        **age_limits(params),
    )
    rows: dict[tuple[str, str], dict[str, object]] = {}
    for row in found:
        key = (row["billing_method"], row["store"])
        out = rows.setdefault(
            key,
            {"billing_method": key[0], "store": key[1], "claims": 0, "balance": 0}
            | {f"n{b}": 0 for b in BUCKETS}
            | {f"a{b}": 0 for b in BUCKETS},
        )
        out[f"n{row['age']}"] = int(row["claims"])
        out[f"a{row['age']}"] = int(row["balance"])
        out["claims"] = int(out["claims"]) + int(row["claims"])  # type: ignore[call-overload]
        out["balance"] = int(out["balance"]) + int(row["balance"])  # type: ignore[call-overload]
    columns = [
        column
        for b in BUCKETS
        for column in (
            ReportColumn(f"n{b}", f"{b} claims", Kind.COUNT),
            ReportColumn(f"a{b}", f"{b} due", Kind.MONEY),
        )
    ]
    return Report(
        "aging-summary",
        f"Claims aging summary as of {params.as_of}",
        [*columns, _COUNT, _BALANCE],
        [rows[key] for key in sorted(rows)],
    )


def open_claims(conn: Connection, params: ReportParams) -> Report:
    """Open claims loaded before a date (default: the as-of date)."""
    before = params.before or params.as_of
    rows = fetch(conn, _OPEN.format(where="AND aging_date < :before"), before=before)
    return Report(
        "open-claims",
        f"Open claims older than {before}",
        [
            _RX,
            _FILL,
            _DOS,
            _PAYER,
            _PLACE,
            _AGING,
            ReportColumn("status", "Status"),
            ReportColumn("reason", "RJ code"),
            _BALANCE,
            _COUNT,
        ],
        rows,
    )


def paid_claims(conn: Connection, params: ReportParams) -> Report:
    """Claims settled on a payment date (default: the as-of date)."""
    on = params.on or params.as_of
    rows = fetch(
        conn,
        """SELECT billing_method, store, rx_number, fill_number, date_of_service, payer,
            payer_seq, amount_due, amount_paid, markdown,
            amount_due - amount_paid AS difference, 1 AS claims
        FROM recon_items WHERE status = 'paid' AND paid_date = :on
        ORDER BY billing_method, store, rx_number, fill_number, payer_seq""",
        on=on,
    )
    for row in rows:
        row["percent"] = share(row["amount_paid"], row["amount_due"])
    return Report(
        "paid-claims",
        f"Claims paid on {on}",
        [
            _RX,
            _FILL,
            _DOS,
            _PAYER,
            _PLACE,
            ReportColumn("amount_due", "Due", Kind.MONEY),
            ReportColumn("amount_paid", "Paid", Kind.MONEY),
            ReportColumn("difference", "Difference", Kind.MONEY),
            ReportColumn("percent", "% paid", Kind.PERCENT),
            _COUNT,
        ],
        rows,
        ratio=("percent", "amount_paid", "amount_due"),
    )


def days_to_payment(conn: Connection, params: ReportParams) -> Report:
    """How long each payer takes: claims settled, average, fastest and slowest days."""
    found = fetch(
        conn,
        """SELECT payer, date_of_service, paid_date, COUNT(*) AS claims FROM recon_items
        WHERE status = 'paid' AND paid_date IS NOT NULL
        GROUP BY payer, date_of_service, paid_date""",
    )
    days: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for row in found:
        days[row["payer"]].append(
            ((row["paid_date"] - row["date_of_service"]).days, int(row["claims"]))
        )
    rows = []
    for payer in sorted(days):
        spans = days[payer]
        count = sum(n for _, n in spans)
        total = sum(d * n for d, n in spans)
        rows.append(
            {
                "payer": payer,
                "claims": count,
                "average": (total + count // 2) // count,
                "fastest": min(d for d, _ in spans),
                "slowest": max(d for d, _ in spans),
            }
        )
    return Report(
        "days-to-payment",
        "Days from dispensing to payment, by payer",
        [
            _COUNT,
            ReportColumn("average", "Average days", Kind.NUMBER),
            ReportColumn("fastest", "Fastest", Kind.NUMBER),
            ReportColumn("slowest", "Slowest", Kind.NUMBER),
        ],
        rows,
        groups=("payer",),
    )


def provider_adjustments(conn: Connection, params: ReportParams) -> Report:
    """Fees, DIR, recoupments and interest taken at provider level (PLB), by payer."""
    rows = fetch(
        conn,
        """SELECT a.payer, a.category, a.reason, a.reference, a.fiscal_date, b.check_number,
            b.payment_date, a.amount, 1 AS adjustments
        FROM recon_adjustments a JOIN recon_batches b ON b.id = a.batch_id
        WHERE a.level = 'provider' ORDER BY a.payer, a.category, b.payment_date, a.id""",
    )
    return Report(
        "provider-adjustments",
        "Fees and provider-level adjustments (PLB), by payer",
        [
            ReportColumn("reason", "PLB code"),
            ReportColumn("reference", "Reference"),
            ReportColumn("check_number", "Check/EFT"),
            ReportColumn("payment_date", "Paid on", Kind.DATE),
            ReportColumn("amount", "Amount", Kind.MONEY),
            ReportColumn("adjustments", "Adjustments", Kind.COUNT),
        ],
        rows,
        groups=("payer", "category"),
        notes=["positive amounts were withheld from the payment; negative ones were added"],
    )
