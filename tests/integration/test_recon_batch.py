"""Claims from an NCPDP batch response file and its request file, on SQLite and PostgreSQL.

The files are built in ``batch_support`` (its table says what each record holds);
the load must classify them exactly like a CSV load would.
"""

import datetime as dt

import pytest
from sqlalchemy import text

from engine.reconcile.claims import read_batch_claims
from engine.reconcile.errors import ClaimFileError
from engine.reconcile.reports import ReportParams, build_report
from engine.reconcile.sql import load_claims
from engine.store.sql.database import connect, migrate

from .batch_support import VALID_DUE, exchange, recount

pytestmark = pytest.mark.postgres

AGING = dt.date(2026, 3, 31)


@pytest.fixture
def engine(ledger_url):
    built = connect(ledger_url, writer=True)
    migrate(built)
    yield built
    built.dispose()


def _load(engine, responses, requests):
    claims = read_batch_claims(
        responses, requests, responses_name="resp.bat", requests_name="req.bat"
    )
    with engine.begin() as conn:
        return claims, load_claims(
            conn, claims.items, source=claims.source, actor="test", aging_date=AGING
        )


def test_every_record_classified_like_a_csv_row(engine):
    claims, load = _load(engine, *exchange())
    assert load.counts == {
        "valid": 4,
        "duplicate": 1,
        "zero_balance": 1,
        "unauthorized": 3,
        "resubmitted": 1,
        "invalid": 4,
    }
    assert load.amount_due == VALID_DUE == 11_250
    assert (claims.requests, claims.unanswered) == (12, 2)
    with engine.connect() as conn:
        items = conn.execute(
            text(
                "SELECT rx_number, fill_number, store, payer, payer_seq, billing_method,"
                " amount_due, ingredient_cost, dispensing_fee, patient_pay, ndc, prescriber_id"
                " FROM recon_items ORDER BY id"
            )
        ).all()
        exceptions = conn.execute(
            text(
                "SELECT row, category, rx_number, fill_number, amount_due, original_found, reason"
                " FROM recon_claim_exceptions ORDER BY row, id"
            )
        ).all()
    assert [tuple(row) for row in items] == [
        (5001, 0, "1234567893", "610014", 1, "RXPLAN01", 4250, 4000, 500, 250,
         "00093105001", "1679576722"),
        (5006, 0, "1234567893", "610014", 1, "GRP100", 2500, 2300, 200, 0,
         "00093105001", "1679576722"),
        (5007, 3, "1234567893", "610014", 1, "GRP100", 1500, 1400, 100, 0,
         "00093105001", "1679576722"),
        (5008, 0, "STORE9", "610014", 1, "GRP100", 3000, 2800, 200, 0,
         "00093105001", "1679576722"),
    ]  # fmt: skip
    assert [(r.row, r.category, r.rx_number, r.fill_number) for r in exceptions] == [
        (3, "unauthorized", 5002, 0),
        (4, "duplicate", 5001, 0),
        (5, "zero_balance", 5003, 2),
        (6, "invalid", None, None),
        (7, "resubmitted", 5005, 1),
        (10, "invalid", 5999, None),
        (11, "invalid", None, None),
        (12, "unauthorized", 5009, 0),
        (13, "unauthorized", 5010, 0),
        (14, "invalid", None, None),
    ]
    why = {r.row: r.reason for r in exceptions}
    assert why[3] == "rejected: 70, 75"
    assert why[4] == "twice in this file"
    assert why[6].startswith("the transmission does not decode: offset 11, field B1")
    assert why[10] == (
        "no request pairs with it (880-K5 R10, and none with its pharmacy,"
        " date of service and Rx number)"
    )
    assert why[11].startswith("B2 (Reversal) is not a billing: not loaded")
    assert why[12] == "status C (captured): nothing paid"
    assert why[13] == "transmission rejected: 07"
    assert why[14] == "not a detail record (G1)"
    assert [r.amount_due for r in exceptions if r.category == "unauthorized"] == [0, 0, 0]
    assert [bool(r.original_found) for r in exceptions if r.category == "resubmitted"] == [False]
    with engine.connect() as conn:
        report = build_report(conn, "claims-unauthorized", ReportParams(as_of=AGING))
    assert [(row["rx_number"], row["reason"]) for row in report.rows] == [
        (5002, "rejected: 70, 75"),
        (5009, "status C (captured): nothing paid"),
        (5010, "transmission rejected: 07"),
    ]


def test_loading_the_same_files_again_finds_every_claim_on_file(engine):
    _load(engine, *exchange())
    _, again = _load(engine, *exchange())
    assert again.counts == {
        "duplicate": 5,  # 4 valid, and R03 again: already on file
        "zero_balance": 1,
        "unauthorized": 3,
        "resubmitted": 1,
        "invalid": 4,
    }
    assert again.amount_due == 0


def test_a_trailer_that_miscounts_refuses_the_file_and_stores_nothing(engine):
    responses, requests = exchange()
    with pytest.raises(ClaimFileError) as refused:
        _load(engine, recount(responses, 15, 14), requests)
    assert str(refused.value) == (
        "resp.bat: record 15: the trailer counts 14 records but the file has 15 (header and"
        " trailer included): records are missing or extra; nothing was loaded"
    )
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM recon_batches")).scalar() == 0
        assert conn.execute(text("SELECT COUNT(*) FROM recon_items")).scalar() == 0


def test_files_the_wrong_way_round_are_refused(engine):
    responses, requests = exchange()
    with pytest.raises(ClaimFileError) as swapped:
        _load(engine, responses, responses)
    assert str(swapped.value) == ("req.bat: holds D.0 responses, not requests; nothing was loaded")
    with pytest.raises(ClaimFileError) as swapped:
        _load(engine, requests, requests)
    assert str(swapped.value) == (
        "resp.bat: holds D.0 requests, not responses: the two files are the wrong way round;"
        " nothing was loaded"
    )
