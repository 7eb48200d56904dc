"""Crash consistency: a process that dies between the Redis apply and the ledger write.

The crash is simulated by a ledger whose write raises (the process "dies" with the
transaction applied to Redis and not recorded). Recovery then runs with a zero grace
period, as start-up would once the grace period has passed. After every scenario
Redis equals the ledger replayed, exactly. (A real kill -9 is in test_processes.py.)
"""

import datetime as dt
import time

import pytest

from engine.accumulators import FamilyKey
from engine.adjudication.decision import Status
from engine.adjudication.processor import ClaimProcessor
from engine.loading.medical import record_medical
from engine.medical import MedicalOutcome, MedicalTxn
from engine.rebuild import compare
from engine.recovery import recover
from engine.store.redis_admin import RedisAdmin
from engine.store.sql import SqlLedger

from conftest import make_claim

DAY = dt.date(2026, 3, 2)
FAMILY = "ZZT100001"
KEY = FamilyKey(FAMILY, dt.date(2026, 1, 1))
GENERIC_A, BRAND_B = "11111111101", "22222222201"


class Crash(Exception):
    """The process died here."""


class CrashingLedger:
    """The SQL ledger, except that writes 'crash' while ``crashing`` is set."""

    def __init__(self, inner: SqlLedger) -> None:
        self.inner = inner
        self.crashing = False

    def current(self, claim_key):
        return self.inner.current(claim_key)

    def record(self, entry):
        self.record_batch([entry])

    def record_batch(self, entries):
        if self.crashing:
            raise Crash
        self.inner.record_batch(entries)


@pytest.fixture
def setup(catalog, redis_store, tmp_path):
    sql = SqlLedger.open(f"sqlite:///{tmp_path / 'ledger.sqlite3'}")
    admin = RedisAdmin(redis_store)
    sql.writer.on_committed = admin.confirm
    ledger = CrashingLedger(sql)
    processor = ClaimProcessor(catalog, redis_store, ledger)
    yield processor, ledger, sql, admin
    sql.close()


def _crash(processor, ledger, claim):
    ledger.crashing = True
    with pytest.raises(Crash):
        processor.process(claim, DAY)
    ledger.crashing = False


def _recover(admin, sql):
    time.sleep(0.002)  # journal scores are milliseconds
    return recover(admin, sql, 0)


def _agrees(sql, admin):
    differences, problems = compare(((r.key, r.txn) for r in sql.accumulator_rows()), admin)
    assert (differences, problems) == ([], [])
    # the writer confirms (empties the journal) just after it releases the callers
    deadline = time.monotonic() + 2
    while admin.journal() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert admin.journal() == []


def test_committed_claims_leave_nothing_in_the_journal(setup):
    processor, _, sql, admin = setup
    processor.process(make_claim(FAMILY, "001", BRAND_B, 1), DAY)
    processor.process(make_claim(FAMILY, "001", BRAND_B, 1, transaction_code="B2"), DAY)
    _agrees(sql, admin)


def test_an_unrecorded_bill_is_undone_and_its_retry_is_processed_afresh(setup):
    processor, ledger, sql, admin = setup
    claim = make_claim(FAMILY, "001", BRAND_B, 1)
    _crash(processor, ledger, claim)
    # Redis counted BRAND B's $250 deductible; the ledger never heard of it
    assert processor.accumulators.fresh_snapshot(KEY).amounts["ded:001:rx"] == 25000
    report = _recover(admin, sql)
    assert len(report.undone) == 1
    assert processor.accumulators.fresh_snapshot(KEY).amounts["ded:001:rx"] == 0
    _agrees(sql, admin)
    retry = processor.process(claim, DAY)
    assert (retry.status, retry.figures.deductible, retry.figures.patient_pay) == (
        "P",
        25000,
        32000,
    )
    _agrees(sql, admin)


def test_a_retry_before_recovery_adopts_the_applied_transaction(setup):
    processor, ledger, sql, admin = setup
    claim = make_claim(FAMILY, "001", BRAND_B, 1)
    _crash(processor, ledger, claim)
    retry = processor.process(claim, DAY)
    # the same figures as if nothing had happened, counted once
    assert (retry.status, retry.figures.deductible) == ("P", 25000)
    assert processor.accumulators.fresh_snapshot(KEY).amounts["ded:001:rx"] == 25000
    report = _recover(admin, sql)
    assert (report.undone, report.adopted) == ([], [])
    _agrees(sql, admin)


def test_an_unrecorded_reversal_of_an_unchanged_family_is_undone(setup):
    processor, ledger, sql, admin = setup
    claim = make_claim(FAMILY, "001", BRAND_B, 1)
    processor.process(claim, DAY)
    _crash(processor, ledger, claim.with_code("B2"))
    report = _recover(admin, sql)
    assert len(report.undone) == 1
    assert processor.accumulators.fresh_snapshot(KEY).amounts["ded:001:rx"] == 25000
    _agrees(sql, admin)
    assert processor.process(claim.with_code("B2"), DAY).status == Status.APPROVED
    _agrees(sql, admin)


def test_an_unrecorded_reversal_others_relied_on_is_kept_and_recorded(setup):
    processor, ledger, sql, admin = setup
    claim = make_claim(FAMILY, "001", BRAND_B, 1)
    processor.process(claim, DAY)
    _crash(processor, ledger, claim.with_code("B2"))
    # the spouse's brand is priced with the deductible freed by the reversal: $250 again
    spouse = processor.process(make_claim(FAMILY, "002", BRAND_B, 2), DAY)
    assert spouse.figures.deductible == 25000
    report = _recover(admin, sql)
    # putting the original back would count $500 against a $500 family deductible that
    # the spouse's claim already met: the reversal stays, and the ledger records it
    assert len(report.kept_reversals) == 1
    assert sql.current(spouse.claim_key.replace("|2|", "|1|")).reversed
    _agrees(sql, admin)
    again = processor.process(claim.with_code("B2"), DAY)
    assert again.status == Status.DUPLICATE_OF_APPROVED


def test_an_unrecorded_rebill_keeps_its_reversal_and_undoes_its_new_claim(setup):
    processor, ledger, sql, admin = setup
    claim = make_claim(FAMILY, "001", BRAND_B, 1)
    processor.process(claim, DAY)
    rebill = make_claim(
        FAMILY, "001", BRAND_B, 1, transaction_code="B3", quantity=60, days_supply=60
    )
    _crash(processor, ledger, rebill)
    processor.process(make_claim(FAMILY, "002", GENERIC_A, 2), DAY)
    report = _recover(admin, sql)
    assert (len(report.undone), len(report.kept_reversals)) == (1, 1)
    amounts = processor.accumulators.fresh_snapshot(KEY).amounts
    # what remains: the spouse's generic ($10 copay, no deductible on tier 1)
    assert (amounts["ded:001:rx"], amounts["oop:001:rx"], amounts["oop:002:rx"]) == (0, 0, 1000)
    _agrees(sql, admin)
    assert processor.process(rebill, DAY).status == Status.REJECTED
    assert processor.process(claim, DAY).status == Status.PAID
    _agrees(sql, admin)


def test_an_unrecorded_medical_transaction_is_adopted(setup, catalog):
    processor, _, sql, admin = setup

    class Crashing:
        def record_medical(self, records):
            raise Crash

    medical = MedicalTxn("M-1", FAMILY, "001", DAY, 10000, 20000)
    with pytest.raises(Crash):
        record_medical(medical, catalog, catalog.members, processor.accumulators, Crashing())
    report = _recover(admin, sql)
    assert report.adopted == ["med:M-1"]
    _agrees(sql, admin)
    # loading it again is a duplicate, and the ledger now has its medical row too
    again = record_medical(medical, catalog, catalog.members, processor.accumulators, sql)
    assert again.outcome is MedicalOutcome.DUPLICATE
    _agrees(sql, admin)


def test_transactions_inside_the_grace_period_are_left_alone(setup):
    processor, ledger, sql, admin = setup
    _crash(processor, ledger, make_claim(FAMILY, "001", BRAND_B, 1))
    report = recover(admin, sql, 3600)
    assert (report.undone, report.confirmed) == ([], [])
    assert len(admin.journal()) == 1
