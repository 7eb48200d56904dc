"""Claims, payments and a reconciliation run on SQLite and PostgreSQL, worked by hand.

The figures are in tests/data/reconcile: a default tolerance of 95% and $75.00,
payer 610014's own 98% and $25.00, and CO-16/CO-22 never written off.
"""

import datetime as dt

import pytest
from sqlalchemy import func, select, text

from engine.reconcile.errors import AlreadyLoaded, RemittanceFileError
from engine.reconcile.remit import read_payment_file
from engine.reconcile.sql import reconcile, store_payments
from engine.reconcile.sql.tables import BATCHES, PAYMENTS

from .recon_support import DATA, scenario

pytestmark = pytest.mark.postgres

DEFAULT = "test-receivables 1: default"
STRICT = "test-receivables 1: payer 610014"


@pytest.fixture
def done(ledger_url):
    built = scenario(ledger_url)
    yield built
    built.engine.dispose()


def test_claims_loads_classify_every_row(done):
    first, second = done.loads
    assert first.counts == {
        "valid": 15,
        "duplicate": 1,
        "zero_balance": 1,
        "unauthorized": 1,
        "cob_limit": 1,
        "invalid": 1,
    }
    assert first.amount_due == 799_300
    assert second.counts == {"valid": 1, "resubmitted": 2, "duplicate": 1}
    with done.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT row, category, rx_number, original_found, reason"
                " FROM recon_claim_exceptions ORDER BY batch_id, row"
            )
        ).all()
    assert [(r.row, r.category, r.rx_number) for r in rows] == [
        (15, "duplicate", 100),
        (16, "zero_balance", 400),
        (17, "unauthorized", 401),
        (20, "cob_limit", 100),
        (21, "invalid", None),
        (2, "resubmitted", 101),
        (3, "resubmitted", 999),
        (4, "duplicate", 102),
    ]
    assert [bool(r.original_found) for r in rows if r.category == "resubmitted"] == [True, False]
    assert rows[0].reason == "twice in this file"
    assert rows[-1].reason == "already on file"


def test_coordination_of_benefits_tracks_up_to_three_payers(done):
    items = done.items()
    assert [items[(100, p)]["payer_seq"] for p in ("777777", "888880", "888881")] == [1, 2, 3]
    assert items[(100, "777777")]["status"] == "paid"
    assert items[(100, "888880")]["status"] == "open"  # each payer collected on its own


def test_every_category_and_boundary_decided_exactly(done):
    assert done.run.counts == {
        "paid_in_full": 5,
        "partial_accepted": 5,
        "partial_exception": 4,
        "no_match": 1,
        "denied": 1,
        "duplicate": 1,
        "negative": 1,
        "rejected": 2,
    }
    assert done.run.markdown == 13_590
    assert done.run.passes == 3
    items = done.items()

    def state(rx, payer):
        item = items[(rx, payer)]
        return item["status"], item["amount_paid"], item["markdown"]

    assert state(101, "777777") == ("paid", 47_500, 2_500)  # exactly 95%
    assert state(102, "777777") == ("open", 0, 0)  # one cent below
    assert state(103, "777777") == ("paid", 192_500, 7_500)  # exactly $75.00 short
    assert state(104, "777777") == ("open", 0, 0)  # $75.01 short
    assert state(206, "777777") == ("open", 0, 0)  # CO-22: never a markdown
    assert state(200, "610014") == ("paid", 49_000, 1_000)  # 98%: the payer's rule
    assert state(201, "610014") == ("open", 0, 0)  # 97.998%: passes 95%, fails 98%
    assert state(202, "610014") == ("paid", 122_500, 2_500)  # 98% and $25.00 exactly
    assert state(203, "610014") == ("denied", 0, 0)
    assert items[(203, "610014")]["reason"] == "CO-16"
    assert state(204, "610014") == ("paid", 6_000, 0)  # the duplicate was not posted
    assert state(205, "610014") == ("paid", 4_410, 90)  # paid, reversed, paid 98%
    assert state(500, "777777") == ("paid", 1_234, 0)
    assert items[(101, "777777")]["rule_version"] == DEFAULT
    assert items[(200, "610014")]["rule_version"] == STRICT
    assert items[(101, "777777")]["paid_date"] in (dt.date(2026, 4, 10), "2026-04-10")


def test_every_decision_records_its_rule_and_reason(done):
    with done.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT rx_number, paid, outcome, note, rule_version FROM recon_payments"
                " WHERE outcome NOT IN ('rejected', 'no_match') ORDER BY batch_id, line"
            )
        ).all()
    assert all(row.rule_version in (DEFAULT, STRICT) for row in rows)
    notes = {(r.rx_number, r.paid): r.note for r in rows}
    assert notes[(206, 29_900)] == "adjustment CO-22 is never a markdown"
    assert notes[(102, 47_499)] == "outside tolerance"
    assert notes[(204, 6_000)] in (None, "claim already paid")
    assert notes[(205, -4_500)] == "claim reopened: balance due again"
    outcomes = [(r.rx_number, r.outcome) for r in rows if r.rx_number in (204, 205)]
    assert outcomes == [
        (204, "paid_in_full"),
        (204, "duplicate"),
        (205, "paid_in_full"),
        (205, "negative"),
        (205, "partial_accepted"),
    ]


def test_a_file_is_loaded_once(done):
    with pytest.raises(AlreadyLoaded), done.engine.begin() as conn:
        store_payments(conn, read_payment_file(DATA / "remit.835"), done.book, actor="test")


def test_a_malformed_835_loads_nothing(ledger_url):
    built = scenario(ledger_url)
    with built.engine.connect() as conn:
        before = (
            conn.execute(select(func.count()).select_from(BATCHES)).scalar(),
            conn.execute(select(func.count()).select_from(PAYMENTS)).scalar(),
        )
    with pytest.raises(RemittanceFileError):
        read_payment_file(DATA / "malformed.835")
    with built.engine.begin() as conn:
        again = reconcile(conn, built.book, actor="test")
    assert again.counts == {}
    with built.engine.connect() as conn:
        after = (
            conn.execute(select(func.count()).select_from(BATCHES)).scalar(),
            conn.execute(select(func.count()).select_from(PAYMENTS)).scalar(),
        )
    assert after == (before[0] + 1, before[1])  # only the empty run's own batch
    built.engine.dispose()


def test_with_no_rule_set_the_defaults_accept_anything_and_reports_say_so(ledger_url):
    from engine.reconcile.reports import ReportParams, build_report
    from engine.reconcile.tolerance import ToleranceBook
    from engine.store.sql.database import connect, migrate

    from .recon_support import FIRST_AGING, claims

    engine = connect(ledger_url, writer=True)
    migrate(engine)
    claims(engine, "claims.csv", FIRST_AGING)
    with engine.begin() as conn:
        store_payments(conn, read_payment_file(DATA / "remit.835"), ToleranceBook(), actor="t")
    with engine.begin() as conn:
        run = reconcile(conn, ToleranceBook(), actor="t")
    assert run.counts["partial_exception"] == 1  # only CO-22: never a markdown
    with engine.connect() as conn:
        report = build_report(conn, "accepted", ReportParams(as_of=dt.date(2026, 5, 1)))
    assert report.notes == [
        "tolerance rule used: built-in default: 0% and $9,999.99, no tolerance rule set"
    ]
    assert {row["rule_version"] for row in report.rows} == {
        "built-in default: 0% and $9,999.99, no tolerance rule set"
    }
    assert 102 in {row["rx_number"] for row in report.rows}  # 474.99 of 500.00 accepted
    engine.dispose()
