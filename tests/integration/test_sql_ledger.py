"""The SQL ledger on SQLite and PostgreSQL: migrations, the MemoryClaimLedger rules,
accumulation rows that rebuild the store exactly, group commit and the lease.
"""

import datetime as dt
import threading

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select
from sqlmodel import SQLModel

from engine.accumulators import FamilyKey
from engine.adjudication.decision import Status
from engine.adjudication.processor import ClaimProcessor
from engine.rebuild import replay_into_memory
from engine.store.base import EntryKind, LedgerEntry, StoreUnavailable
from engine.store.memory import MemoryAccumulatorStore, MemoryClaimLedger
from engine.store.sql import SqlLedger, connect
from engine.store.sql.database import downgrade, migrate
from engine.store.sql.models import AccumulatorTxnRow, ClaimEntryRow

from conftest import make_claim

DAY = dt.date(2026, 3, 2)
FAMILY = "ZZT100001"
KEY = FamilyKey(FAMILY, dt.date(2026, 1, 1))
GENERIC_A, BRAND_B = "11111111101", "22222222201"


@pytest.fixture
def ledger(ledger_url):
    ledger = SqlLedger.open(ledger_url)
    yield ledger
    ledger.close()


def test_migrations_create_exactly_the_models_and_downgrade_to_nothing(ledger_url):
    engine = connect(ledger_url)
    migrate(engine)
    migrate(engine)  # idempotent
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), SQLModel.metadata) == []
    downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate(engine)
    assert "accumulator_txns" in inspect(engine).get_table_names()
    engine.dispose()


def _lifecycle(processor: ClaimProcessor):
    """Bill, duplicate, reverse, reverse again, bill again, rebill, E1, a reject."""
    b1 = make_claim(FAMILY, "001", BRAND_B, 1)
    steps = [
        b1,
        make_claim(FAMILY, "001", GENERIC_A, 2),
        b1,
        b1.with_code("B2"),
        b1.with_code("B2"),
        b1,
        make_claim(FAMILY, "001", BRAND_B, 1, transaction_code="B3", quantity=60, days_supply=60),
        make_claim(FAMILY, "002", BRAND_B, 3, transaction_code="E1"),
        make_claim(FAMILY, "001", "66666666601", 4),
        make_claim(FAMILY, "001", GENERIC_A, 2, transaction_code="B2"),
    ]
    return [processor.process(claim, DAY) for claim in steps]


def test_the_sql_ledger_keeps_claims_exactly_as_the_memory_ledger(catalog, ledger):
    in_memory = ClaimProcessor(catalog, MemoryAccumulatorStore(), MemoryClaimLedger())
    on_sql = ClaimProcessor(catalog, MemoryAccumulatorStore(), ledger)
    expected, got = _lifecycle(in_memory), _lifecycle(on_sql)
    assert [d.status for d in got] == ["P", "P", "D", "A", "S", "P", "P", "A", "R", "A"]
    assert got == expected
    for claim_key in {d.claim_key for d in expected if d.claim_key}:
        assert ledger.current(claim_key) == in_memory.ledger.current(claim_key)
    assert ledger.current("no such key") is None


def test_accumulation_rows_replay_to_exactly_the_store_and_point_at_their_originals(
    catalog, ledger
):
    processor = ClaimProcessor(catalog, MemoryAccumulatorStore(), ledger)
    _lifecycle(processor)
    rows = list(ledger.accumulator_rows())
    # BRAND B #1, GENERIC A #1, reversal of BRAND B #1, BRAND B #2, its rebill #3, and the
    # reversal of GENERIC A #1
    assert [r.txn.id.rsplit("|", 1)[1] for r in rows] == [
        "2026-03-02#1",
        "2026-03-02#1",
        "2026-03-02#1:rev",
        "2026-03-02#2",
        "2026-03-02#3",
        "2026-03-02#1:rev",
    ]
    reversal = rows[2]
    # a reversal is its own negative row: no deltas of its own, the original's negated net
    assert reversal.txn.deltas == {}
    assert reversal.net == {k: -v for k, v in rows[0].txn.deltas.items()}
    rebill = rows[4]
    assert rebill.txn.reverses == rows[3].txn.id
    expected = replay_into_memory((r.key, r.txn) for r in rows).store.snapshot(KEY)
    actual = processor.accumulators.snapshot(KEY)
    assert dict(expected.amounts) == dict(actual.amounts)
    assert expected.fills == actual.fills
    with ledger.reader.connect() as conn:
        table = AccumulatorTxnRow.__table__
        links = dict(conn.execute(select(table.c.seq, table.c.reverses_seq)).all())
        assert links[reversal.seq] == rows[0].seq
        assert links[rebill.seq] == rows[3].seq


def test_raw_bytes_amounts_and_versions_are_kept_for_reporting(catalog, ledger):
    processor = ClaimProcessor(catalog, MemoryAccumulatorStore(), ledger)
    claim = make_claim(FAMILY, "001", BRAND_B, 1)
    decision = processor.process(claim, DAY)
    ledger.record(
        LedgerEntry(decision.claim_key, 9, EntryKind.DUPLICATE, decision, claim, b"\x01req", b"rsp")
    )
    with ledger.reader.connect() as conn:
        table = ClaimEntryRow.__table__
        rows = conn.execute(select(table).order_by(table.c.id)).all()
    paid, kept = rows
    # BRAND B on HMO Gold: the $250 deductible, then the $70 copay; $320 towards the MOOP
    assert (paid.patient_pay, paid.deductible, paid.out_of_pocket) == (32000, 25000, 32000)
    assert paid.plan_version == decision.versions.plan
    assert paid.request["ndc"] == BRAND_B
    assert (kept.raw_request, kept.raw_response) == (b"\x01req", b"rsp")


def test_concurrent_records_share_commits_and_each_is_durable_on_return(catalog, ledger):
    processor = ClaimProcessor(catalog, MemoryAccumulatorStore(), MemoryClaimLedger())
    decision = processor.process(make_claim(FAMILY, "001", BRAND_B, 1), DAY)
    seen_after_return = []

    def worker(n: int) -> None:
        for i in range(40):
            key = f"k{n}-{i}"
            ledger.record(LedgerEntry(key, 1, EntryKind.REJECTED, decision))
            seen_after_return.append(ledger.current(key) is None)  # rejected: no state
            with ledger.reader.connect() as conn:
                table = ClaimEntryRow.__table__
                assert conn.execute(select(table.c.id).where(table.c.claim_key == key)).first()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stats = ledger.writer.stats
    assert stats.writes == 320
    assert stats.commits < stats.writes  # grouped: fewer commits (fsyncs) than records
    assert all(seen_after_return)


def test_a_write_older_than_the_lease_is_refused_not_committed(catalog, ledger_url):
    ledger = SqlLedger.open(ledger_url, lease=0.0)
    processor = ClaimProcessor(catalog, MemoryAccumulatorStore(), MemoryClaimLedger())
    decision = processor.process(make_claim(FAMILY, "001", BRAND_B, 1), DAY)
    with pytest.raises(StoreUnavailable):
        ledger.record(LedgerEntry(decision.claim_key, 1, EntryKind.PAID, decision))
    assert ledger.current(decision.claim_key) is None
    assert list(ledger.accumulator_rows()) == []
    ledger.close()


def test_a_paid_claim_survives_reopening_the_database(catalog, ledger_url):
    first = SqlLedger.open(ledger_url)
    processor = ClaimProcessor(catalog, MemoryAccumulatorStore(), first)
    paid = processor.process(make_claim(FAMILY, "001", BRAND_B, 1), DAY)
    first.close()
    second = SqlLedger.open(ledger_url)
    again = ClaimProcessor(catalog, MemoryAccumulatorStore(), second).process(
        make_claim(FAMILY, "001", BRAND_B, 1), DAY
    )
    assert again.status == Status.DUPLICATE_OF_PAID
    assert again.figures == paid.figures
    second.close()
