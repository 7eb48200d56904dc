"""Coordination of benefits kept durably: families' other coverage in the SQL members
directory, and each payer's claim in the ledger with its place and the other payers'
money kept apart (SQLite and PostgreSQL).

INSULIN X, 10 units: 10 x $40.00 x 0.80 + $2.00 = $322.00 (see tests/unit/cob).
BRAND B, 30 units: 30 x $20.00 x 0.80 + $2.00 = $482.00.
"""

import datetime as dt

import pytest
from sqlalchemy import select

from engine.accumulators import FamilyKey
from engine.adjudication.decision import Status
from engine.adjudication.processor import ClaimProcessor
from engine.claim import OtherPayerResult, QualifiedAmount
from engine.loading.members import document_families, load_members
from engine.store.memory import MemoryAccumulatorStore
from engine.store.sql import SqlLedger, SqlMemberDirectory
from engine.store.sql.models import ClaimEntryRow

from conftest import TEST_CATALOG, make_claim

DAY = dt.date(2026, 3, 2)
INSULIN, BRAND_B = "33333333301", "22222222201"
RXADJ_BIN = "610999"


@pytest.fixture
def setup(catalog, ledger_url):
    ledger = SqlLedger.open(ledger_url)
    directory = SqlMemberDirectory(ledger.reader, ledger.engine)
    load_members(document_families(TEST_CATALOG / "members.yaml"), directory)
    processor = ClaimProcessor(catalog, MemoryAccumulatorStore(), ledger, directory)
    yield processor, ledger, directory
    directory.close()
    ledger.close()


def _paid_by(place, payer_id, paid, patient):
    return OtherPayerResult(
        place,
        "03",
        payer_id,
        DAY,
        (QualifiedAmount("07", paid),),
        (),
        (QualifiedAmount("06", patient),),
    )


def _rows(ledger):
    with ledger.reader.connect() as conn:
        table = ClaimEntryRow.__table__
        return conn.execute(select(table).order_by(table.c.id)).all()


def test_other_coverage_round_trips_through_the_members_table(catalog, setup):
    _processor, _ledger, directory = setup
    for card in ("ZZT610001", "ZZT640001", "ZZT670001", "ZZT680001"):
        assert directory.family(card).cob == catalog.members.family(card).cob
    # reloading the same file changes nothing (other coverage merged by its key)
    again = load_members(document_families(TEST_CATALOG / "members.yaml"), directory)
    assert directory.family("ZZT610001").cob == catalog.members.family("ZZT610001").cob
    assert (again.accepted, again.duplicate) == (0, 18)


def test_three_payers_for_one_fill_are_kept_with_their_places(setup):
    processor, ledger, _directory = setup
    first = make_claim("ZZT610001", "002", INSULIN, 1, quantity=10, other_coverage_code="1")
    primary = _paid_by("01", RXADJ_BIN, 27200, 5000)
    second = make_claim(
        "ZZT620001",
        "003",
        INSULIN,
        1,
        quantity=10,
        other_coverage_code="2",
        other_payers=(primary,),
    )
    secondary = _paid_by("02", RXADJ_BIN, 1500, 3500)
    third = make_claim(
        "ZZT630001",
        "002",
        INSULIN,
        1,
        quantity=10,
        other_coverage_code="2",
        other_payers=(primary, secondary),
    )
    # PPO $272.00 (patient $50.00); EPO carve-out $15.00 (patient $35.00); HMO standard
    # $35.00 (patient $0): see tests/unit/cob/test_claims.py for the arithmetic
    decisions = [processor.process(c, DAY) for c in (first, second, third)]
    assert [(d.figures.plan_pay, d.figures.patient_pay) for d in decisions] == [
        (27200, 5000),
        (1500, 3500),
        (3500, 0),
    ]
    rows = _rows(ledger)
    assert [(r.payer_seq, r.other_payer_paid, r.patient_pay, r.plan_pay) for r in rows] == [
        (1, 0, 5000, 27200),
        (2, 27200, 3500, 1500),
        (3, 28700, 0, 3500),
    ]
    # the request kept its COB segment; a repeat answers with the original's figures
    assert rows[2].request["other_payers"][1]["amounts_paid"] == [
        {"qualifier": "07", "amount": "15.00"}
    ]
    repeat = processor.process(third, DAY)
    assert repeat.status == Status.DUPLICATE_OF_PAID
    assert repeat.figures == decisions[2].figures
    assert repeat.figures.cob.other_payer_patient_responsibility == 3500
    assert processor.process(first, DAY).other_payers == decisions[0].other_payers


def test_part_d_keeps_patient_pay_and_the_two_kinds_of_other_payments_apart(setup):
    processor, ledger, _directory = setup
    # employer plan paid $400.00, left $82.00: does not count toward TrOOP
    ghp = make_claim(
        "ZZT670001",
        "001",
        BRAND_B,
        1,
        other_coverage_code="2",
        other_payers=(_paid_by("01", "011111", 40000, 8200),),
    )
    # charity paid $200.00, left $282.00: counts
    charity = make_claim(
        "ZZT680001",
        "001",
        BRAND_B,
        2,
        other_coverage_code="2",
        other_payers=(_paid_by("01", "022222", 20000, 28200),),
    )
    for claim in (ghp, charity):
        assert processor.process(claim, DAY).status == Status.PAID
    rows = _rows(ledger)
    assert [(r.patient_pay, r.other_troop, r.plro, r.out_of_pocket) for r in rows] == [
        (8200, 0, 40000, 8200),  # TrOOP: the patient's $82.00 only
        (28200, 20000, 0, 48200),  # TrOOP: $282.00 + the charity's $200.00
    ]


def test_reversing_the_secondary_returns_exactly_its_accumulators(setup):
    processor, _ledger, _directory = setup
    key = FamilyKey("ZZT620001", dt.date(2026, 1, 1))
    before = dict(processor.accumulators.snapshot(key).amounts)
    claim = make_claim(
        "ZZT620001",
        "003",
        INSULIN,
        5,
        quantity=10,
        other_coverage_code="2",
        other_payers=(_paid_by("01", RXADJ_BIN, 27200, 5000),),
    )
    paid = processor.process(claim, DAY)
    # the EPO credits $35.00 to its deductible and out-of-pocket (see test_claims.py)
    assert paid.txn.deltas == {"ded:003:rx": 3500, "oop:003:rx": 3500}
    reversed_ = processor.process(claim.with_code("B2"), DAY)
    assert reversed_.status == Status.APPROVED
    after = {k: v for k, v in processor.accumulators.snapshot(key).amounts.items() if v}
    assert after == {k: v for k, v in before.items() if v}
