"""The JSON form: typed values shown exactly, and back to the same bytes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from engine.ncpdp import NcpdpJsonError, decode, encode, from_json_obj, to_json_obj

from .samples import DATA, SAMPLES

FS, GS, RS = "\x1c", "\x1d", "\x1e"


def _json(name: str) -> dict[str, Any]:
    transmission = decode((DATA / name).read_bytes()).transmission
    assert transmission is not None
    return json.loads(json.dumps(to_json_obj(transmission)))


def test_typical_b1_as_json() -> None:
    obj = _json("b1_typical.bin")
    assert obj["type"] == "request"
    assert obj["header"] == {
        "bin": "610999",
        "version": "D0",
        "transaction_code": "B1",
        "pcn": "RXADJHMO",
        "transaction_count": 1,
        "service_provider_id_qualifier": "01",
        "service_provider_id": "1234567893",
        "date_of_service": "2026-03-02",
        "software_vendor_id": "RXADJ01",
    }
    assert [segment["id"] for segment in obj["segments"]] == ["01", "04"]
    assert obj["segments"][0]["name"] == "Patient"
    assert obj["segments"][0]["fields"][0] == {
        "id": "C4",
        "name": "Date Of Birth",
        "value": "1980-01-15",
    }
    claim = {
        field["id"]: field["value"] for field in obj["transactions"][0]["segments"][0]["fields"]
    }
    assert claim["E7"] == "30.000"
    assert claim["D2"] == 1234567
    assert claim["D7"] == "00093105001"
    pricing = obj["transactions"][0]["segments"][2]
    assert pricing["fields"][:2] == [
        {"id": "D9", "name": "Ingredient Cost Submitted", "value": "12.50"},
        {"id": "DC", "name": "Dispensing Fee Submitted", "value": "1.75"},
    ]
    assert "wire" not in pricing
    assert "envelope" not in obj


def test_repeating_groups_are_lists_of_occurrences() -> None:
    status = _json("response_rejected.bin")["transactions"][0]["segments"][0]
    rejects = next(field for field in status["fields"] if field["id"] == "FA")
    assert rejects == {
        "id": "FA",
        "name": "Reject Count",
        "occurrences": [
            [{"id": "FB", "name": "Reject Code", "value": "76"}],
            [
                {"id": "FB", "name": "Reject Code", "value": "88"},
                {"id": "4F", "name": "Rejected Field Occurrence Indicator", "value": 2},
            ],
        ],
    }
    cob = _json("b1_cob_dur_compound.bin")["transactions"][0]["segments"][2]
    paid = cob["fields"][0]["occurrences"][0][4]
    assert paid["id"] == "HB"
    assert paid["occurrences"][0][1] == {
        "id": "DV",
        "name": "Other Payer Amount Paid",
        "value": "10.00",
    }


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_json_and_back_gives_the_model_and_the_bytes(name: str) -> None:
    data = (DATA / name).read_bytes()
    transmission = from_json_obj(_json(name))
    assert transmission == SAMPLES[name]()
    assert encode(transmission) == data


def test_negative_money_and_rates() -> None:
    header = "D0B11A011234567893     20260302"
    data = (header + GS + f"{RS}{FS}AM23{FS}F525}}{FS}AY82E{FS}F9133P").encode()
    obj = to_json_obj(decode(data).transmission)  # type: ignore[arg-type]
    values = [field["value"] for field in obj["transactions"][0]["segments"][0]["fields"]]
    assert values == ["-2.50", "0.0825", "-13.37"]
    assert encode(from_json_obj(obj)) == data


def test_original_text_travels_as_wire_only_when_needed() -> None:
    header = "610999d0b1RXADJHMO  1011234567893     20260302RXADJ01   "
    insurance = f"{RS}{FS}AM04{FS}C3001{FS}C2ZZH100001   {FS}A6vendor"
    data = ("\x02" + header + insurance + GS + f"{RS}{FS}AM07{FS}EM1" + "\x03").encode()
    obj = json.loads(json.dumps(to_json_obj(decode(data).transmission)))  # type: ignore[arg-type]
    assert obj["header"]["wire"] == header
    assert obj["envelope"] == {"prefix": "\x02", "suffix": "\x03"}
    assert obj["segments"][0]["wire"] == insurance[1:]
    assert obj["segments"][0]["unknown"] == [{"id": "A6", "raw": "vendor"}]
    assert "wire" not in obj["transactions"][0]["segments"][0]
    assert encode(from_json_obj(obj)) == data
    obj["segments"][0]["fields"][0]["value"] = "ZZH200002"
    expected = "\x02" + header + f"{RS}{FS}AM04{FS}C2ZZH200002{FS}C3001{FS}A6vendor"
    assert encode(from_json_obj(obj)) == (expected + GS + f"{RS}{FS}AM07{FS}EM1\x03").encode()


def _broken(path: list[object], value: object) -> dict[str, Any]:
    obj = _json("b1_cob_dur_compound.bin")
    target: Any = obj
    for step in path[:-1]:
        target = target[step]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return obj


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (["type"], "claim", 'type: expected "request" or "response"'),
        (["header"], KeyError, "header: missing"),
        (["header", "transaction_count"], "1", "header.transaction_count: expected int"),
        (["header", "date_of_service"], "20260302", "header.date_of_service: expected a date"),
        (["header", "pcn"], None, "header.pcn: expected str"),
        (["segments", 0, "id"], 1, r"segments\[0\].id: expected str"),
        (["segments", 1, "id"], "01", r"segments\[1\].id: segment 01 repeated"),
        (
            ["transactions", 0, "segments", 0, "fields", 1, "value"],
            "1234567",
            r"transactions\[0\].segments\[0\].fields\[1\].value: expected an integer",
        ),
        (
            ["transactions", 0, "segments", 5, "fields", 0, "value"],
            18.2,
            r"segments\[5\].fields\[0\].value: expected a string",
        ),
        (
            ["transactions", 0, "segments", 5, "fields", 0, "value"],
            "18.205",
            "money has fractions of a cent",
        ),
        (
            ["transactions", 0, "segments", 5, "fields", 0, "value"],
            "eighteen",
            "expected a decimal number in a string",
        ),
        (
            ["transactions", 0, "segments", 5, "fields", 0, "value"],
            "Infinity",
            "expected a finite number",
        ),
        (["transactions", 0, "segments", 5, "fields", 0], {"id": "D9"}, "value: missing"),
        (["transactions", 0, "segments", 5, "fields", 0, "id"], "Q?", "not a D.0 field id"),
        (
            ["transactions", 0, "segments", 2, "fields", 0, "occurrences", 0],
            "x",
            r"occurrences\[0\]: expected a list",
        ),
        (["transactions", 0], [], r"transactions\[0\]: expected an object"),
        (["segments", 0, "unknown"], [{"id": "ZZ"}], r"segments\[0\].unknown\[0\].raw: missing"),
    ],
)
def test_bad_json_names_its_path(path: list[object], value: object, message: str) -> None:
    with pytest.raises(NcpdpJsonError, match=message):
        from_json_obj(_broken(path, value))


def test_not_an_object() -> None:
    with pytest.raises(NcpdpJsonError, match="document: expected an object"):
        from_json_obj([])


def test_a_decoded_segment_that_cannot_be_written_canonically_keeps_its_wire() -> None:
    header = "610999D0B1RXADJHMO  1011234567893     20260302RXADJ01   "
    data = (header + GS + f"{RS}{FS}AM07{FS}EM1{FS}CA\x00").encode()
    decoded = decode(data)
    assert not decoded.ok
    obj = to_json_obj(decoded.transmission)  # type: ignore[arg-type]
    assert obj["transactions"][0]["segments"][0]["wire"] == f"{FS}AM07{FS}EM1{FS}CA\x00"
    assert encode(from_json_obj(obj)) == data


def test_an_impossible_date_in_json() -> None:
    obj = _json("b1_typical.bin")
    obj["header"]["date_of_service"] = "2026-02-30"
    with pytest.raises(NcpdpJsonError, match=r"header\.date_of_service: expected a date"):
        from_json_obj(obj)
