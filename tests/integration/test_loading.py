"""Batch files: medical accumulators (integrated plans), eligibility, partner export.

Amounts are worked by hand over the round-priced test tables (see test_ppo_epo.py):
BRAND B at retail is 30 x $20 x 0.80 + $2.00 = $482.00.
"""

import datetime as dt
import io

import pytest

from engine.accumulators import MEDICAL, PHARMACY, FamilyKey
from engine.adjudication.decision import Status
from engine.adjudication.processor import ClaimProcessor
from engine.loading.export import write_changes
from engine.loading.medical import load_medical, medical_rows
from engine.loading.members import csv_families, document_families, load_members
from engine.rebuild import compare
from engine.store.memory import MemoryAccumulatorStore
from engine.store.redis_admin import RedisAdmin
from engine.store.sql import SqlLedger, SqlMemberDirectory

from conftest import TEST_CATALOG, make_claim

DAY = dt.date(2026, 3, 2)
LATE = dt.date(2026, 12, 31)  # processing date after every date of service below
EPO = "ZZT300001"  # EPO Integrated: aggregate deductible $1,500 / $3,000 with medical
EPO_KEY = FamilyKey(EPO, dt.date(2026, 1, 1))
BRAND_B = "22222222201"

MEDICAL_CSV = """id,cardholder_id,person_code,date_of_service,deductible,out_of_pocket,reverses
M-1,ZZT300001,001,2026-02-01,1000.00,1000.00,
M-2,ZZT300001,001,2026-02-01,12.345,1,
M-3,ZZX999999,001,2026-02-01,1,1,
M-4,ZZT300001,007,2026-02-01,1,1,
M-5,ZZT300001,001,2025-06-01,1,1,
M-1,ZZT300001,001,2026-02-01,1000.00,1000.00,
M-6,ZZT300001,001,2026-02-02,0,0,M-404
M-7,ZZT300001,002,2026-02-03,250.00,300.00,
M-8,ZZT300001,002,2026-02-04,0,0,M-7
,ZZT300001,001,2026-02-01,1,1,
M-9,ZZT300001,001,02/05/2026,1,1,
"""


@pytest.fixture
def stores(catalog, redis_store, tmp_path):
    sql = SqlLedger.open(f"sqlite:///{tmp_path / 'ledger.sqlite3'}")
    admin = RedisAdmin(redis_store)
    sql.writer.on_committed = admin.confirm
    directory = SqlMemberDirectory(sql.reader, sql.engine)
    load_members(document_families(_test_members()), directory)
    yield sql, admin, directory
    sql.close()


def _test_members():
    return TEST_CATALOG / "members.yaml"


def _load(text, catalog, directory, store, sql):
    return load_medical(medical_rows(io.StringIO(text)), catalog, directory, store, sql)


def test_a_medical_file_loads_row_by_row_and_reloading_it_changes_nothing(catalog, stores):
    sql, admin, directory = stores
    store = admin.store
    summary = _load(MEDICAL_CSV, catalog, directory, store, sql)
    assert (summary.accepted, summary.duplicate) == (3, 1)  # M-1, M-7, M-8; M-1 again
    assert [(p.row, p.id, p.reason) for p in summary.rejected] == [
        (3, "M-2", "'12.345' has fractions of a cent"),
        (4, "M-3", "cardholder id not on file"),
        (5, "M-4", "person code not on file"),
        (6, "M-5", "the person has no coverage on the date of service"),
        (8, "M-6", "reverses M-404, which is not on file"),
        (11, None, "missing id"),
        (12, "M-9", "date_of_service '02/05/2026' is not YYYY-MM-DD"),
    ]
    # M-1 counts; M-7 and its reversal M-8 cancel out
    amounts = store.fresh_snapshot(EPO_KEY).amounts
    assert dict(amounts) == {
        "ded:001:med": 100000,
        "oop:001:med": 100000,
        "ded:002:med": 0,
        "oop:002:med": 0,
    }
    rows = len(list(sql.accumulator_rows()))
    again = _load(MEDICAL_CSV, catalog, directory, store, sql)
    assert (again.accepted, again.duplicate, len(again.rejected)) == (0, 4, 7)
    assert dict(store.fresh_snapshot(EPO_KEY).amounts) == dict(amounts)
    assert len(list(sql.accumulator_rows())) == rows
    assert compare(((r.key, r.txn) for r in sql.accumulator_rows()), admin) == ([], [])

    # integrated: the very next pharmacy claim sees the medical $1,000
    processor = ClaimProcessor(catalog, store, sql, directory)
    claim = make_claim(EPO, "002", BRAND_B, 1)
    first = processor.process(claim, DAY)
    assert (first.figures.deductible, first.figures.patient_pay) == (48200, 48200)
    assert first.remaining.deductible_remaining == 300000 - 100000 - 48200
    # replaying the claim changes nothing either
    assert processor.process(claim, DAY).status == Status.DUPLICATE_OF_PAID
    assert store.fresh_snapshot(EPO_KEY).amounts["ded:002:rx"] == 48200


def test_export_writes_pharmacy_changes_for_the_carrier(catalog, stores):
    sql, admin, directory = stores
    before = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    _load(MEDICAL_CSV, catalog, directory, admin.store, sql)
    processor = ClaimProcessor(catalog, admin.store, sql, directory)
    claim = make_claim(EPO, "002", BRAND_B, 1)
    processor.process(claim, DAY)
    processor.process(claim.with_code("B2"), DAY)
    out = io.StringIO()
    lines, last = write_changes(sql.accumulator_rows(since=before), out)
    body = [line.split(",") for line in out.getvalue().splitlines()]
    assert body[0][:3] == ["seq", "recorded_at", "txn_id"]
    # the claim's $482.00 to the deductible and out of pocket, then the reversal's negatives
    assert [(r[7], r[8], r[9], r[10]) for r in body[1:]] == [
        ("002", "deductible", "pharmacy", "482.00"),
        ("002", "out_of_pocket", "pharmacy", "482.00"),
        ("002", "deductible", "pharmacy", "-482.00"),
        ("002", "out_of_pocket", "pharmacy", "-482.00"),
    ]
    assert body[3][3] == body[1][2]  # the reversal names what it reverses
    assert lines == 4
    everything = io.StringIO()
    count, _ = write_changes(
        sql.accumulator_rows(since=before), everything, origins=frozenset({PHARMACY, MEDICAL})
    )
    # plus M-1 (2 lines), M-7 (2) and M-8 (2)
    assert count == 10
    assert write_changes(sql.accumulator_rows(since=last), io.StringIO())[0] == 0


ELIGIBILITY = (
    "cardholder_id,person_code,relationship,first_name,last_name,date_of_birth,gender,"
    "plan,group,coverage_start,coverage_end\n"
    """ZZT170001,001,1,Ann,New,1980-05-05,F,HMO-GOLD,HMOGOLD01,2026-01-01,{end}
ZZT170001,002,2,Bob,New,1981-06-06,M,HMO-GOLD,HMOGOLD01,2026-01-01,{end}
{extra}ZZT170002,001,1,Cy,Bad,1970-01-01,,HMO-GOLD,HMOGOLD01,2026-01-01,
ZZT170003,001,1,Di,Ok,1970-01-01,F,,,,
ZZT170002,002,2,Ed,Split,1970-01-01,M,,,,
"""
)


def _eligibility(directory, end: str = "", extra: str = ""):
    handle = io.StringIO(ELIGIBILITY.format(end=end, extra=extra))
    return load_members(csv_families(handle), directory)


def _hmo(person, rx, day, **changes):
    """A claim for the new family, built from a test family's card (HMO routing)."""
    birth = {"001": dt.date(1980, 5, 5), "002": dt.date(1981, 6, 6)}[person]
    base = {"cardholder_id": "ZZT170001", "person_code": person, "date_of_birth": birth}
    return make_claim("ZZT100001", "001", "11111111101", rx, day=day, **base, **changes)


def test_eligibility_loads_idempotently_and_changes_apply_from_their_dates(catalog, stores):
    sql, _, directory = stores
    summary = _eligibility(directory)
    assert (summary.accepted, summary.duplicate) == (2, 0)  # ZZT170001 and ZZT170003
    assert [(p.row, p.id, p.reason.split(":")[0]) for p in summary.rejected] == [
        (4, "ZZT170002", "persons.0.gender"),
        (6, "ZZT170002", "the family's rows are not consecutive"),
    ]
    again = _eligibility(directory)
    assert (again.accepted, again.duplicate) == (0, 2)

    processor = ClaimProcessor(catalog, MemoryAccumulatorStore(), sql, directory)
    assert processor.process(_hmo("001", 1, dt.date(2026, 3, 2)), LATE).status == Status.PAID

    # termination at the end of April: claims dated after it are refused, earlier ones paid
    assert _eligibility(directory, end="2026-04-30").accepted == 1
    may = processor.process(_hmo("001", 2, dt.date(2026, 5, 2)), LATE)
    # 69: filled after coverage terminated
    assert (may.status, [r.code.code for r in may.rejects]) == ("R", ["69"])
    april = processor.process(_hmo("001", 3, dt.date(2026, 4, 20)), LATE)
    assert april.status == Status.PAID, april.rejects

    # both move to PPO Silver from June: the open HMO record closes the day before
    ppo_rows = "".join(
        f"ZZT170001,{p},{r},{n},New,{b},{g},PPO-SILVER,PPOSILV01,2026-06-01,\n"
        for p, r, n, b, g in (
            ("001", 1, "Ann", "1980-05-05", "F"),
            ("002", 2, "Bob", "1981-06-06", "M"),
        )
    )
    assert _eligibility(directory, extra=ppo_rows).accepted == 1
    family = directory.family("ZZT170001")
    assert [(c.plan, c.start, c.end) for c in family.coverages] == [
        ("HMO-GOLD", dt.date(2026, 1, 1), dt.date(2026, 5, 31)),
        ("PPO-SILVER", dt.date(2026, 6, 1), None),
    ]
    ppo = {"bin": "610999", "pcn": "RXADJPPO", "group_id": "PPOSILV01"}
    june, may = dt.date(2026, 6, 5), dt.date(2026, 5, 20)
    assert processor.process(_hmo("002", 4, june, **ppo), LATE).status == Status.PAID
    assert processor.process(_hmo("002", 5, june), LATE).status == Status.REJECTED
    assert processor.process(_hmo("002", 6, may, **ppo), LATE).status == Status.REJECTED
    assert processor.process(_hmo("002", 7, may), LATE).status == Status.PAID
    assert _eligibility(directory, extra=ppo_rows).accepted == 0  # idempotent
