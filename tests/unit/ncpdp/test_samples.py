"""The sample files: built by the encoder from ``samples.py``, read back by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from engine.ncpdp import RequestHeader, ResponseHeader, decode, encode

from .samples import DATA, SAMPLES

FS, GS, RS = "\x1c", "\x1d", "\x1e"


def _load(name: str):
    decoded = decode((DATA / name).read_bytes())
    assert decoded.ok, decoded.issues
    assert decoded.notices == ()
    return decoded.transmission


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_file_is_what_its_model_encodes_to(name: str) -> None:
    assert (DATA / name).read_bytes() == encode(SAMPLES[name]())


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_file_decodes_to_its_model(name: str) -> None:
    assert _load(name) == SAMPLES[name]()


def test_typical_b1_bytes_written_out_by_hand() -> None:
    header = "610999D0B1RXADJHMO  1011234567893     20260302RXADJ01   "
    expected = (
        header
        + f"{RS}{FS}AM01{FS}C419800115{FS}C52{FS}CAJANE{FS}CBDOE{FS}C701"
        + f"{RS}{FS}AM04{FS}C2ZZH100001{FS}C1RXADJGRP1{FS}C3001{FS}C61"
        + f"{GS}{RS}{FS}AM07{FS}EM1{FS}D21234567{FS}E103{FS}D700093105001{FS}E730000"
        + f"{FS}D30{FS}D530{FS}D61{FS}D80{FS}DE20260301{FS}DF5{FS}DJ1"
        + f"{RS}{FS}AM03{FS}EZ01{FS}DB1679576722{FS}DRSMITH"
        + f"{RS}{FS}AM11{FS}D9125{{{FS}DC17E{FS}DQ250{{{FS}DU142E{FS}DN01"
    )
    assert len(header) == 56
    assert (DATA / "b1_typical.bin").read_bytes() == expected.encode("ascii")


def test_typical_b1_values() -> None:
    t = _load("b1_typical.bin")
    assert t.header == RequestHeader(
        bin="610999",
        version="D0",
        transaction_code="B1",
        pcn="RXADJHMO",
        transaction_count=1,
        service_provider_id_qualifier="01",
        service_provider_id="1234567893",
        date_of_service=date(2026, 3, 2),
        software_vendor_id="RXADJ01",
    )
    assert t.is_request
    assert list(t.segments) == ["01", "04"]
    assert t.segments["01"].fields == {
        "C4": date(1980, 1, 15),
        "C5": "2",
        "CA": "JANE",
        "CB": "DOE",
        "C7": "01",
    }
    insurance = t.segment("04")
    assert insurance is not None
    assert (insurance.get("C2"), insurance.get("C3"), insurance.get("C6")) == (
        "ZZH100001",
        "001",
        "1",
    )
    assert len(t.transactions) == 1
    claim = t.transactions[0].segment("07")
    assert claim is not None
    assert claim.get("D2") == 1234567
    assert claim.get("D7") == "00093105001"
    assert claim.get("E7") == Decimal("30.000")
    assert (claim.get("D3"), claim.get("D5"), claim.get("DF")) == (0, 30, 5)
    assert claim.get("DE") == date(2026, 3, 1)
    assert claim.group("NX") == []
    prices = t.transactions[0].segments["11"].fields
    assert (prices["D9"], prices["DC"], prices["DQ"], prices["DU"]) == (1250, 175, 2500, 1425)
    assert t.transactions[0].segments["03"].fields == {
        "EZ": "01",
        "DB": "1679576722",
        "DR": "SMITH",
    }


def test_four_claims() -> None:
    t = _load("b1_four_claims.bin")
    assert t.header.transaction_count == 4
    assert [tx.segments["07"].fields["D2"] for tx in t.transactions] == [
        1234567,
        1234568,
        1234569,
        1234570,
    ]
    assert [tx.segments["07"].fields["E7"] for tx in t.transactions] == [
        Decimal("30.000"),
        Decimal("90.000"),
        Decimal("60.000"),
        Decimal("15.500"),
    ]
    fourth = t.transactions[3].segments["11"].fields
    assert (fourth["D9"], fourth["DC"], fourth["DQ"], fourth["DU"]) == (399, 0, 999, 399)
    third = t.transactions[2].segments["11"].fields
    assert (third["D9"], third["DU"]) == (48533, 48708)


def test_reversal_rebill_and_eligibility() -> None:
    reversal = _load("b2_reversal.bin")
    assert reversal.header.transaction_code == "B2"
    assert list(reversal.segments) == ["04"]
    assert reversal.transactions[0].segments["07"].fields == {
        "EM": "1",
        "D2": 1234567,
        "E1": "03",
        "D7": "00093105001",
        "D3": 0,
    }
    rebill = _load("b3_rebill.bin")
    assert rebill.header.transaction_code == "B3"
    assert rebill.transactions[0].segments["07"].fields["E7"] == Decimal("28.000")
    assert rebill.transactions[0].segments["11"].fields["D9"] == 1167
    eligibility = _load("e1_eligibility.bin")
    assert eligibility.header.transaction_code == "E1"
    assert eligibility.transactions == []
    assert list(eligibility.segments) == ["04", "01"]
    assert GS.encode() not in (DATA / "e1_eligibility.bin").read_bytes()


def test_cob_dur_compound() -> None:
    group = _load("b1_cob_dur_compound.bin").transactions[0]
    claim = group.segments["07"]
    assert claim.group("NX") == [{"DK": "08"}]
    assert (claim.get("E1"), claim.get("D7"), claim.get("D6"), claim.get("C8")) == (
        "00",
        "0",
        "2",
        "2",
    )
    payer = group.segments["05"].group("4C")
    assert len(payer) == 1
    assert payer[0]["7C"] == "610097"
    assert payer[0]["E8"] == date(2026, 3, 2)
    assert payer[0]["HB"] == [{"HC": "07", "DV": 1000}, {"HC": "01", "DV": 250}]
    assert payer[0]["5E"] == [{"6E": "70"}]
    dur = group.segments["08"].group("7E")
    assert [occurrence["7E"] for occurrence in dur] == [1, 2, 3]
    assert [occurrence["E4"] for occurrence in dur] == ["DD", "TD", "HD"]
    assert dur[2]["H6"] == "00093105001"
    assert "J9" not in dur[0]
    ingredients = group.segments["10"].group("EC")
    assert [item["ED"] for item in ingredients] == [Decimal("100.000"), Decimal("20.000")]
    assert [item["EE"] for item in ingredients] == [1500, 320]
    assert ingredients[1]["2G"] == [{"2H": "AA"}]


def test_paid_response() -> None:
    t = _load("response_paid.bin")
    assert t.header == ResponseHeader(
        version="D0",
        transaction_code="B1",
        transaction_count=1,
        status="A",
        service_provider_id_qualifier="01",
        service_provider_id="1234567893",
        date_of_service=date(2026, 3, 2),
    )
    assert not t.is_request
    assert t.segments["20"].fields == {"F4": "CLAIM PAID"}
    group = t.transactions[0].segments
    assert group["21"].fields == {"AN": "P", "F3": "RX260302000001"}
    assert group["22"].fields == {"EM": "1", "D2": 1234567}
    assert group["23"].fields == {
        "F5": 500,
        "F6": 1250,
        "F7": 175,
        "F9": 925,
        "FM": "1",
        "FC": 25000,
        "FD": 0,
        "FH": 0,
        "FI": 500,
        "4U": 0,
    }


def test_rejected_response() -> None:
    group = _load("response_rejected.bin").transactions[0].segments
    status = group["21"]
    assert status.fields == {"AN": "R", "7F": "03", "8F": "8005551234"}
    assert status.group("FA") == [{"FB": "76"}, {"FB": "88", "4F": 2}]
    assert status.group("UF") == [
        {"UH": "01", "FQ": "DAYS SUPPLY LIMIT IS 30 FOR THIS", "UG": "+"},
        {"UH": "02", "FQ": "PRODUCT"},
    ]
    alerts = group["24"].group("J6")
    assert alerts[0] == {"J6": 1, "E4": "DD", "FS": "1", "FT": "1", "FU": date(2026, 2, 20)}
    assert alerts[1]["FV"] == Decimal("30.000")
    assert alerts[1]["FY"] == "THERAPEUTIC DUP"


def test_duplicate_and_eligibility_responses() -> None:
    duplicate = _load("response_duplicate.bin")
    assert duplicate.transactions[0].segments["21"].fields["AN"] == "D"
    assert duplicate.transactions[0].segments["23"].fields["F9"] == 925
    assert duplicate.segments == {}
    eligible = _load("response_e1.bin")
    assert eligible.header.transaction_code == "E1"
    assert list(eligible.segments) == ["20", "27", "29"]
    assert eligible.segments["29"].fields["C4"] == date(1980, 1, 15)
    payers = eligible.transactions[0].segments["28"].group("NT")
    assert payers[0]["UY"] == date(2026, 12, 31)
    assert payers[0]["MJ"] == "PDPIND"
