"""Payment files: the hand-built 835 read exactly; malformed and unbalanced files refused whole."""

import datetime as dt
import io
from pathlib import Path

import pytest

from engine.reconcile.errors import RemittanceFileError
from engine.reconcile.remit import (
    parse_ndc,
    parse_payment_file,
    parse_rx_fill,
    read_payment_csv,
    read_payment_file,
)
from engine.reconcile.remit.keys import IdentifierError

DATA = Path(__file__).resolve().parents[2] / "data" / "reconcile"


def test_the_hand_built_835_reads_every_payment_claim_and_adjustment():
    file = read_payment_file(DATA / "remit.835")
    assert file.format == "835"
    first, second = file.remittances
    assert (first.payer, first.check_number) == ("777777", "EFT777")
    assert first.payment_date == dt.date(2026, 4, 10)
    assert first.total == 540_014  # 5,410.98 paid less 12.34 DIR plus 1.50 interest
    assert first.detail_total == 541_098
    assert [(p.code, p.reference, p.amount) for p in first.provider] == [
        ("CS", "DIR Q1", 1234),
        ("L6", None, -150),
    ]
    claim = first.claims[0]
    assert (claim.store, claim.rx_number, claim.fill_number) == ("1234567893", 100, 0)
    assert (claim.charge, claim.paid, claim.patient_resp) == (11_000, 10_000, 500)
    assert claim.date_of_service == dt.date(2026, 3, 2)
    assert claim.ndc == "00002143380"
    assert [a.code for a in claim.adjustments] == ["CO-45", "PR-3"]
    assert first.claims[6].store == "1000000009"  # NM1*82 names the store
    assert "NO-RX" in (first.claims[8].problem or "")
    reversal = second.claims[7]
    assert (reversal.status_code, reversal.paid, reversal.original_ref) == ("22", -4500, "S205")
    assert second.claims[3].reason_code == "CO-16"
    assert second.total == 235_859
    assert all(r.balanced for r in file.remittances)


def test_patients_are_never_copied():
    file = read_payment_file(DATA / "remit.835")
    text = repr(file)
    assert "PATIENT" not in text
    assert "XYZ00000001" not in text


def test_a_malformed_835_is_refused_with_segment_and_line():
    with pytest.raises(RemittanceFileError) as caught:
        read_payment_file(DATA / "malformed.835")
    (issue,) = caught.value.issues
    assert issue.line == 92
    assert issue.segment == "CLP"
    assert issue.element == "CLP04"
    assert "12X5.00" in issue.message
    assert str(issue).startswith("line 92, segment CLP #92, element CLP04")


def test_an_unbalanced_835_is_refused_at_its_bpr():
    with pytest.raises(RemittanceFileError) as caught:
        read_payment_file(DATA / "unbalanced.835")
    (issue,) = caught.value.issues
    assert (issue.line, issue.segment, issue.element) == (4, "BPR", "BPR02")
    assert "$5,400.15" in issue.message
    assert "$5,410.98" in issue.message


def test_a_segment_out_of_place_is_located_and_patient_values_hidden():
    text = (DATA / "remit.835").read_text()
    text = text.replace("NM1*QC*1*PATIENT*TEST", "NM1*QC*9*PATIENT*TEST", 1)
    with pytest.raises(RemittanceFileError) as caught:
        parse_payment_file(text, "x.835")
    assert all("PATIENT" not in str(issue) for issue in caught.value.issues)
    assert caught.value.issues[0].segment == "NM1"


def test_a_control_total_that_does_not_match_refuses_the_file():
    with pytest.raises(RemittanceFileError, match="control total"):
        read_payment_file(DATA / "remit.835", control_total=1)


def test_not_x12_at_all():
    with pytest.raises(RemittanceFileError):
        read_payment_file(DATA / "tolerances.yaml")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234567-01", (1234567, 1)),
        ("0001234567", (1234567, None)),
        ("77:3", (77, 3)),
        ("5 2", (5, 2)),
    ],
)
def test_clp01_carries_prescription_and_fill(text, expected):
    assert parse_rx_fill(text) == expected


def test_bad_identifiers():
    with pytest.raises(IdentifierError):
        parse_rx_fill("RX-ONE")
    with pytest.raises(IdentifierError):
        parse_ndc("N4:123")
    with pytest.raises(IdentifierError):
        parse_ndc("HC:99213")
    assert parse_ndc("00002143380") == "00002143380"


def test_csv_payments_group_by_check_and_report_bad_rows():
    remittances, skipped = read_payment_csv(
        io.StringIO((DATA / "payments.csv").read_text(), newline=""), "payments.csv"
    )
    (remit,) = remittances
    assert (remit.payer, remit.check_number, remit.total) == ("777777", "CHK900", 1334)
    good, no_rx = remit.claims
    assert good.problem is None
    assert good.paid == 1234
    assert no_rx.problem is not None
    assert skipped == [(4, "amount_paid: not an amount: '12.3.4'")]


def test_csv_adjustments_are_read():
    text = (
        "payer,payment_date,store,rx_number,date_of_service,amount_paid,adjustments\n"
        "9,2026-04-01,S,1,2026-03-01,9.00,CO-45:1.00 PR-3:2.50\n"
    )
    (remit,), _ = read_payment_csv(io.StringIO(text), "x")
    found = [(a.code, a.amount) for a in remit.claims[0].adjustments]
    assert found == [("CO-45", 100), ("PR-3", 250)]


def test_csv_without_the_required_columns_is_refused():
    with pytest.raises(ValueError, match="rx_number"):
        read_payment_csv(io.StringIO("payer,payment_date\n"), "x")
