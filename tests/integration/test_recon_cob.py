"""Coordination of benefits in receivables: each payer of a fill is its own open item.

One fill (store 1234567893, Rx 7001, fill 0, dispensed 2026-03-02) is billed to
two payers: BIN 610014 first, then BIN 777777 with a COB segment reporting what
610014 paid. Each owes its own amount, pays on its own check, and is matched,
decided and reported on its own. Tolerances are tests/data/reconcile's: 610014
98% and $25.00, everyone else 95% and $75.00.
"""

import datetime as dt

import pytest
from sqlalchemy import text

from engine.adjudication.processor import ClaimProcessor
from engine.ncpdp import RequestHeader, Segment, Transaction, Transmission, encode, write_batch
from engine.reconcile.claims import read_batch_claims, read_claim_csv
from engine.reconcile.remit import read_payment_file
from engine.reconcile.reports import ReportParams, build_report, lines
from engine.reconcile.sql import load_claims, load_ledger_claims, reconcile, store_payments
from engine.reconcile.tolerance import load_tolerances
from engine.store.memory import MemoryAccumulatorStore
from engine.store.sql import SqlLedger
from engine.store.sql.database import connect, migrate

from .batch_support import DOS, NPI, batch_header, paid, response
from .recon_support import DATA
from conftest import make_claim

pytestmark = pytest.mark.postgres

AGING = dt.date(2026, 3, 31)
PAYMENTS = (
    "payer,payment_date,check_number,store,rx_number,fill_number,date_of_service,amount_paid\n"
)


@pytest.fixture
def engine(ledger_url):
    built = connect(ledger_url, writer=True)
    migrate(built)
    yield built
    built.dispose()


def _request(bin_: str, *others: str) -> bytes:
    """A B1 for Rx 7001 fill 0 sent to ``bin_``, after the other payers (BINs) listed."""
    header = RequestHeader(bin_, "D0", "B1", "RXPCN", 1, "01", NPI, DOS, "")
    fields = {"EM": "1", "D2": 7001, "E1": "03", "D7": "00093105001", "D3": 0}
    claim = {"07": Segment("07", fields)}
    if others:
        loops = [
            {"5C": f"{place:02d}", "6C": "03", "7C": other}
            for place, other in enumerate(others, start=1)
        ]
        claim["05"] = Segment("05", {}, {"4C": loops})
    insurance = {"04": Segment("04", {"C2": "ZZH100001", "C1": "GRP100"})}
    return encode(Transmission(header, insurance, [Transaction(claim)]))


def _batch_load(engine):
    """The two claims of the fill from a response batch and its request batch."""
    requests = write_batch(
        batch_header("T"), [("P1", _request("610014")), ("P2", _request("777777", "610014"))]
    )
    responses = write_batch(
        batch_header("R"),
        [
            # primary: 85.00 + 5.00 - 10.00 copay = 80.00 due from 610014
            ("P1", response("B1", paid(7001, 8000, 8500, 500, 1000))),
            # secondary: 8.00 of the 10.00 copay from 777777, 2.00 left to the patient
            ("P2", response("B1", paid(7001, 800, 8500, 500, 200))),
        ],
    )
    claims = read_batch_claims(responses, requests, responses_name="r", requests_name="q")
    with engine.begin() as conn:
        return load_claims(conn, claims.items, source="cob", actor="test", aging_date=AGING)


def _pay(engine, tmp_path, name, body):
    path = tmp_path / name
    path.write_text(PAYMENTS + body)
    book = load_tolerances([DATA])
    with engine.begin() as conn:
        store_payments(conn, read_payment_file(path), book, actor="test")
    with engine.begin() as conn:
        return reconcile(conn, book, actor="test")


def _items(engine):
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT payer, payer_seq, amount_due, amount_paid, status, paid_date, check_number"
                " FROM recon_items ORDER BY payer_seq"
            )
        ).all()
    return [(r[0], r[1], r[2], r[3], r[4], str(r[5]) if r[5] else None, r[6]) for r in rows]


def _report(engine, name, **params):
    with engine.connect() as conn:
        return build_report(conn, name, ReportParams(as_of=dt.date(2026, 5, 15), **params))


def test_two_payers_of_one_fill_are_collected_apart(engine, tmp_path):
    load = _batch_load(engine)
    assert load.counts == {"valid": 2}
    assert load.amount_due == 8_800  # 80.00 + 8.00
    assert _items(engine) == [
        ("610014", 1, 8_000, 0, "open", None, None),
        ("777777", 2, 800, 0, "open", None, None),
    ]
    first = _pay(
        engine,
        tmp_path,
        "april.csv",
        # 610014 pays in full; 777777 pays 7.00 of 8.00: 87.5% < 95%, an exception
        "610014,2026-04-10,CHK1,1234567893,7001,0,2026-03-02,80.00\n"
        "777777,2026-04-20,CHK2,1234567893,7001,0,2026-03-02,7.00\n",
    )
    assert first.counts == {"paid_in_full": 1, "partial_exception": 1}
    assert _items(engine) == [
        ("610014", 1, 8_000, 8_000, "paid", "2026-04-10", "CHK1"),
        ("777777", 2, 800, 0, "open", None, None),  # its short payment was not posted
    ]

    aging = _report(engine, "aging-detail")
    assert [(r["payer"], r["payer_seq"], r["balance"]) for r in aging.rows] == [("777777", 2, 800)]
    assert lines(aging)[-1].values["balance"] == 800
    exceptions = _report(engine, "partial-exceptions")
    assert [
        (r["payer"], r["payer_seq"], r["due_before"], r["paid"], r["difference"])
        for r in exceptions.rows
    ] == [("777777", 2, 800, 700, 100)]
    settled = _report(engine, "paid-claims", on=dt.date(2026, 4, 10))
    assert [(r["payer"], r["payer_seq"], r["amount_paid"]) for r in settled.rows] == [
        ("610014", 1, 8_000)
    ]

    second = _pay(
        engine, tmp_path, "may.csv", "777777,2026-05-02,CHK3,1234567893,7001,0,2026-03-02,8.00\n"
    )
    assert second.counts == {"paid_in_full": 1}
    assert _items(engine)[1] == ("777777", 2, 800, 800, "paid", "2026-05-02", "CHK3")
    assert not _report(engine, "aging-detail").rows


def test_a_fourth_payer_in_a_batch_is_refused(engine):
    requests = write_batch(
        batch_header("T"), [("P4", _request("999999", "610014", "777777", "888880"))]
    )
    responses = write_batch(
        batch_header("R"), [("P4", response("B1", paid(7001, 100, 8500, 500, 100)))]
    )
    claims = read_batch_claims(responses, requests, responses_name="r", requests_name="q")
    with engine.begin() as conn:
        load = load_claims(conn, claims.items, source="cob", actor="test", aging_date=AGING)
        reason = conn.execute(text("SELECT reason FROM recon_claim_exceptions")).scalar_one()
    assert load.counts == {"cob_limit": 1}  # three others before it: it would be payer 4
    assert reason == "more than three payers for one fill"


def _csv(engine, tmp_path, name, rows):
    path = tmp_path / name
    path.write_text(
        "store,rx_number,fill_number,date_of_service,payer,billing_method,amount_due,payer_seq\n"
        + "".join(f"1234567893,7100,0,2026-03-02,{row}\n" for row in rows)
    )
    with path.open(newline="") as handle, engine.begin() as conn:
        load = load_claims(
            conn, read_claim_csv(handle), source=name, actor="test", aging_date=AGING
        )
        why = conn.execute(
            text(
                "SELECT row, payer, reason FROM recon_claim_exceptions WHERE batch_id = :b"
                " ORDER BY row"
            ),
            {"b": load.batch_id},
        ).all()
    return load, [tuple(r) for r in why]


def test_payer_places_given_or_first_free_and_never_shared(engine, tmp_path):
    first, why = _csv(
        engine,
        tmp_path,
        "one.csv",
        ["B,COMM,5.00,2", "A,COMM,50.00,", "C,COMM,4.00,2"],
    )
    assert first.counts == {"valid": 2, "cob_limit": 1}
    assert why == [(4, "C", "payer 2 of this fill twice in this file")]
    second, why = _csv(
        engine,
        tmp_path,
        "two.csv",
        ["D,COMM,6.00,1", "E,COMM,3.00,", "F,COMM,2.00,"],
    )
    assert second.counts == {"valid": 1, "cob_limit": 2}
    assert why == [
        (2, "D", "payer 1 of this fill is already on file"),
        (4, "F", "more than three payers for one fill"),
    ]
    with engine.connect() as conn:
        places = conn.execute(
            text("SELECT payer, payer_seq FROM recon_items ORDER BY payer_seq")
        ).all()
    # A came after B but left place 1 free: a primary loaded after its secondary is still 1
    assert [tuple(r) for r in places] == [("A", 1), ("B", 2), ("E", 3)]


def test_ledger_claims_keep_the_ledger_s_payer_place(catalog, ledger_url, tmp_path):
    ledger = SqlLedger.open(ledger_url)
    try:
        processor = ClaimProcessor(catalog, MemoryAccumulatorStore(), ledger)
        day = dt.date(2026, 3, 2)
        claims = [
            make_claim("ZZT100001", "001", ndc, rx)
            for ndc, rx in (("22222222201", 1), ("11111111101", 2))
        ]
        assert [processor.process(c, day).status for c in claims] == ["P", "P"]
        with ledger.engine.begin() as conn:
            # Rx 2 as COB adjudication records a secondary: the plan paid after another
            # payer whose own claim never reached this ledger.
            conn.execute(text("UPDATE claim_entries SET payer_seq = 2 WHERE id = 2"))
            load = load_ledger_claims(conn, actor="test", aging_date=AGING)
        assert load.counts == {"valid": 2}
        primary = f"{claims[1].service_provider_id},2,0,2026-03-02,PRIMARY,COMM,9.00,\n"
        path = tmp_path / "primary.csv"
        path.write_text(
            "store,rx_number,fill_number,date_of_service,payer,billing_method,amount_due,"
            "payer_seq\n" + primary
        )
        with path.open(newline="") as handle, ledger.engine.begin() as conn:
            csv_load = load_claims(
                conn, read_claim_csv(handle), source="p", actor="test", aging_date=AGING
            )
            places = conn.execute(
                text("SELECT rx_number, payer, payer_seq FROM recon_items ORDER BY id")
            ).all()
        assert csv_load.counts == {"valid": 1}
        bin_ = claims[0].bin
        assert [tuple(r) for r in places] == [(1, bin_, 1), (2, bin_, 2), (2, "PRIMARY", 1)]
    finally:
        ledger.close()
