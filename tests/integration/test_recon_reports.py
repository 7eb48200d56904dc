"""Reports from the hand-built scenario: sorted, and every control total adds up."""

import csv
import datetime as dt
import io

import pytest

from engine.reconcile.reports import (
    REPORTS,
    ReportParams,
    build_report,
    lines,
    report_csv,
    report_pdf,
)

from .recon_support import scenario

pytestmark = pytest.mark.postgres
AS_OF = dt.date(2026, 5, 15)


@pytest.fixture
def done(ledger_url):
    built = scenario(ledger_url)
    yield built
    built.engine.dispose()


def _build(done, name, **params):
    with done.engine.connect() as conn:
        return build_report(conn, name, ReportParams(as_of=AS_OF, **params))


def _check_totals(report):
    """Each total equals the sum of the detail rows under it; the grand total of all."""
    money = [c.key for c in report.columns if c.totalled]
    open_rows = {level: [] for level in report.groups}
    for line in lines(report):
        if line.kind == "detail":
            for level in report.groups:
                open_rows[level].append(line.values)
            continue
        rows = open_rows[line.level] if line.level else report.rows
        for key in money:
            assert line.values[key] == sum(int(r.get(key) or 0) for r in rows), (report.name, key)
        assert line.count == len(rows)
        if line.level:
            depth = report.groups.index(line.level)
            for level in report.groups[depth:]:
                open_rows[level] = []


def test_every_report_builds_and_its_totals_add_up(done):
    for name in REPORTS:
        report = _build(done, name)
        _check_totals(report)
        assert report_csv(report).startswith("line,")


def test_the_accepted_report_with_worked_totals(done):
    report = _build(done, "accepted")
    rows = [(r["billing_method"], r["store"], r["rx_number"], r["paid"]) for r in report.rows]
    assert rows == [
        ("COMM", "1000000009", 300, 15_000),
        ("COMM", "1234567893", 100, 10_000),
        ("COMM", "1234567893", 101, 47_500),
        ("COMM", "1234567893", 103, 192_500),
        ("COMM", "1234567893", 500, 1_234),
        ("MEDD", "1234567893", 200, 49_000),
        ("MEDD", "1234567893", 202, 122_500),
        ("MEDD", "1234567893", 204, 6_000),
        ("MEDD", "1234567893", 205, 4_500),
        ("MEDD", "1234567893", 205, 4_410),
    ]
    totals = [
        (t.label, t.values["paid"], t.values["markdown"])
        for t in lines(report)
        if t.kind == "total"
    ]
    assert totals == [
        ("total store 1000000009", 15_000, 0),
        ("total store 1234567893", 251_234, 10_000),
        ("total billing method COMM", 266_234, 10_000),
        ("total store 1234567893", 186_410, 3_590),
        ("total billing method MEDD", 186_410, 3_590),
        ("grand total", 452_644, 13_590),
    ]


def test_the_csv_carries_the_same_totals(done):
    text = report_csv(_build(done, "partial-exceptions"))
    rows = list(csv.DictReader(io.StringIO(text)))
    grand = rows[-1]
    assert grand["line"] == "total grand"
    assert grand["paid"] == "3188.97"  # 474.99 + 1,924.99 + 299.00 + 489.99
    assert grand["difference"] == "111.03"
    assert [r["rx_number"] for r in rows if r["line"] == "detail"] == ["102", "104", "206", "201"]


def test_aging_buckets_and_open_claims(done):
    summary = _build(done, "aging-summary")
    grand = lines(summary)[-1]
    assert grand.values["balance"] == 330_800  # 500 + 2,000 + 300 + 500 + 5 + 3
    assert grand.values["n31-60"] == 6  # loaded 2026-03-31, 45 days before 2026-05-15
    older = _build(done, "open-claims", before=dt.date(2026, 4, 1))
    assert len(older.rows) == 6
    assert not _build(done, "open-claims", before=dt.date(2026, 3, 31)).rows


def test_paid_claims_for_a_payment_date(done):
    report = _build(done, "paid-claims", on=dt.date(2026, 4, 10))
    assert len(report.rows) == 8  # the denial and the payment of 2026-04-12 are not listed
    assert lines(report)[-1].values["amount_paid"] == 446_910


def test_days_to_payment_and_provider_adjustments_by_payer(done):
    days = {r["payer"]: r for r in _build(done, "days-to-payment").rows}
    assert days["610014"]["fastest"] == 38  # 2026-03-03 to 2026-04-10
    assert (days["777777"]["fastest"], days["777777"]["slowest"]) == (37, 39)
    fees = _build(done, "provider-adjustments")
    found = [(r["payer"], r["category"], r["amount"]) for r in fees.rows]
    assert found == [
        ("610014", "fee", 50),
        ("610014", "recoupment", 1_000),
        ("777777", "dir", 1_234),
        ("777777", "interest", -150),
    ]
    assert lines(fees)[-1].values["amount"] == 2_134


def test_claims_load_reports(done):
    resubmitted = _build(done, "claims-resubmitted")
    assert [r["original"] for r in resubmitted.rows] == ["found", "NOT FOUND"]
    summary = _build(done, "claims-summary", batch=done.loads[0].batch_id)
    assert lines(summary)[-1].values["amount_due"] == 799_300


def test_pdf_reports_hold_no_patient(done):
    pdf = report_pdf(_build(done, "payment-detail", batch=None))
    assert pdf.startswith(b"%PDF")
    assert b"PATIENT" not in pdf
