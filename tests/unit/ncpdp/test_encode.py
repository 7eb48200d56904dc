"""Building D.0 bytes: canonical order and values, counts, errors, and exact round trips."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from engine.ncpdp import (
    FIELDS,
    SEGMENTS,
    NcpdpBuildError,
    Segment,
    Transaction,
    Transmission,
    decode,
    encode,
)
from engine.ncpdp.encode import canonical_segment, encode_segment

from .samples import SAMPLES, request_header, response_header

FS, GS, RS = "\x1c", "\x1d", "\x1e"


def _text(segment: Segment) -> str:
    return canonical_segment(segment).replace(FS, "|")


def test_fields_are_written_in_guide_order_whatever_the_dict_order() -> None:
    segment = Segment("07", {"D5": 30, "D7": "00093105001", "EM": "1", "E7": Decimal("30")})
    assert _text(segment) == "|AM07|EM1|D700093105001|E730000|D530"


def test_counts_are_written_from_the_lists_and_empty_groups_are_left_out() -> None:
    segment = Segment("07", {"EM": "1", "D5": 30}, {"NX": [{"DK": "20"}, {"DK": "21"}], "SE": []})
    assert _text(segment) == "|AM07|EM1|D530|NX2|DK20|DK21"


def test_a_stored_count_must_agree_with_its_list() -> None:
    segment = Segment("07", {"EM": "1", "NX": 1}, {"NX": [{"DK": "20"}]})
    assert _text(segment) == "|AM07|EM1|NX1|DK20"
    segment.fields["NX"] = 2
    with pytest.raises(NcpdpBuildError, match="count NX is 2 but 1 occur"):
        canonical_segment(segment)


def test_counters_are_written_from_the_position_unless_given() -> None:
    dur = Segment("08", {}, {"7E": [{"E5": "M0", "E4": "DD"}, {"E4": "TD", "7E": 5}]})
    assert _text(dur) == "|AM08|7E1|E4DD|E5M0|7E5|E4TD"
    with pytest.raises(NcpdpBuildError, match="counter 7E belongs in each occurrence"):
        canonical_segment(Segment("08", {"7E": 1}, {"7E": [{"E4": "DD"}]}))


def test_nested_groups_and_unknown_fields_last() -> None:
    cob = Segment(
        "05",
        {},
        {"4C": [{"7C": "610097", "5C": "01", "HB": [{"DV": 1000, "HC": "07"}], "6C": "03"}]},
        [("ZZ", "vendor")],
    )
    assert _text(cob) == "|AM05|4C1|5C01|6C03|7C610097|HB1|HC07|DV100{|ZZvendor"


def test_every_response_segment_with_every_field() -> None:
    status = Segment(
        "21",
        {"AN": "R", "F3": "AUTH1", "7F": "03", "8F": "8005551234", "K5": "REF1", "A7": "ICN1"}
        | {"MA": "HTTPS://X"},
        {
            "FA": [{"FB": "70", "4F": 1}, {"FB": "M4"}],
            "5F": [{"6F": "001"}],
            "UF": [{"UH": "01", "FQ": "LINE ONE", "UG": "+"}, {"UH": "02", "FQ": "LINE TWO"}],
        },
    )
    assert _text(status) == (
        "|AM21|ANR|F3AUTH1|FA2|FB70|4F1|FBM4|5F1|6F001|UF2|UH01|FQLINE ONE|UG+|UH02"
        "|FQLINE TWO|7F03|8F8005551234|K5REF1|A7ICN1|MAHTTPS://X"
    )
    claim = Segment(
        "22",
        {"EM": "1", "D2": 7, "N4": "N4X"},
        {"9F": [{"AP": "03", "AR": "00093", "AS": 100, "AT": -50, "AU": "GENERIC"}]},
    )
    assert _text(claim) == "|AM22|EM1|D27|9F1|AP03|AR00093|AS10{|AT5}|AUGENERIC|N4N4X"
    pricing = Segment(
        "23",
        {fid: 1 for fid in SEGMENTS["23"].plain if FIELDS[fid].kind == "cents"}
        | {"AV": "Y", "AY": Decimal("0.0825"), "AZ": "02", "FM": "13", "HH": "01", "HJ": "02"}
        | {"HK": "03", "HM": "04", "4V": "05"},
        {"J2": [{"J3": "01", "J4": 200}], "MU": [{"MV": "01", "MW": 300}, {"MV": "02", "MW": 0}]},
    )
    assert _text(pricing) == (
        "|AM23|F5A|F6A|F7A|AVY|AWA|AXA|AY82E|AZ02|FLA|J1A|J21|J301|J420{|J5A|F9A|FM13|FNA"
        "|FCA|FDA|FEA|FHA|FIA|FKA|HH01|HJ02|HK03|HM04|NZA|EQA|2YA|4UA|4V05|MU2|MV01|MW30{"
        "|MV02|MW{|G3A|UCA|UDA|UJA|UKA|UMA|UNA|UPA|U8A|U9A"
    )
    prior_auth = Segment(
        "26",
        {"PR": date(2026, 3, 2), "RA": Decimal("90"), "RB": 27850, "PW": 5, "PX": Decimal("30")}
        | {"PY": "12345678901"},
    )
    assert _text(prior_auth) == "|AM26|PR20260302|RA90000|RB2785{|PW5|PX30000|PY12345678901"
    insurance = Segment("25", {"C2": "ZZH1", "C1": "GRP", "FO": "PLAN", "2F": "NET", "J7": "01"})
    assert _text(insurance) == "|AM25|C1GRP|FOPLAN|2FNET|J701|C2ZZH1"
    patient = Segment("29", {"C4": date(1980, 1, 15), "CA": "JANE", "CB": "DOE"})
    assert _text(patient) == "|AM29|CAJANE|CBDOE|C419800115"


def _value(kind: str, length: int, decimals: int, index: int) -> object:
    if kind == "text":
        return ("T" * (length - 1) + str(index % 10))[:length]
    if kind == "digits":
        return "9" * length
    if kind == "int":
        return 10 ** (length - 1) + index
    if kind == "decimal":
        return Decimal(10 ** (length - decimals) - 1) + Decimal(1).scaleb(-decimals)
    if kind == "cents":
        return -(10**length - 1)
    if kind == "signed_decimal":
        return Decimal(-(10**length - 1)).scaleb(-decimals)
    return date(2026, 12, 31)


def _full(group_or_segment: object) -> dict[str, object]:
    values: dict[str, object] = {}
    for index, fid in enumerate(group_or_segment.order):  # type: ignore[attr-defined]
        nested = group_or_segment.groups.get(fid)  # type: ignore[attr-defined]
        if nested is not None:
            values[fid] = [_full(nested), _full(nested)]
        elif fid not in getattr(group_or_segment, "groups", {}):
            field = FIELDS[fid]
            values[fid] = _value(field.kind, field.max_length, field.decimals, index)
    return values


@pytest.mark.parametrize("sid", sorted(SEGMENTS))
def test_every_segment_at_full_width_survives_a_round_trip(sid: str) -> None:
    definition = SEGMENTS[sid]
    values = _full(definition)
    segment = Segment(
        sid,
        {fid: value for fid, value in values.items() if fid in definition.plain},
        {fid: value for fid, value in values.items() if fid in definition.groups},  # type: ignore[misc]
    )
    for key, group in definition.groups.items():
        if group.led:
            for index, occurrence in enumerate(segment.repeats[key], 1):
                occurrence[key] = index
    header = request_header("B1", 1) if definition.request else response_header("B1", 1)
    transmission = Transmission(header, {}, [Transaction({sid: segment})])
    data = encode(transmission)
    decoded = decode(data)
    assert decoded.ok, decoded.issues
    assert decoded.transmission == transmission
    assert encode(decoded.transmission) == data


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_build_parse_build_gives_identical_bytes(name: str) -> None:
    built = encode(SAMPLES[name]())
    decoded = decode(built)
    assert decoded.transmission is not None
    assert encode(decoded.transmission) == built


def test_a_changed_segment_is_written_canonically_and_the_rest_as_received() -> None:
    insurance = f"{RS}{FS}AM04{FS}C3001{FS}C2ZZH100001   "
    claim = f"{RS}{FS}AM07{FS}D5030{FS}EM1"
    header = "610999D0B1RXADJHMO  1011234567893     20260302RXADJ01   "
    data = (header + insurance + GS + claim).encode()
    transmission = decode(data).transmission
    assert transmission is not None
    assert encode(transmission) == data
    transmission.transactions[0].segments["07"].fields["D5"] = 90
    expected = header + insurance + GS + f"{RS}{FS}AM07{FS}EM1{FS}D590"
    assert encode(transmission) == expected.encode()


def test_a_segment_without_wire_is_canonical() -> None:
    segment = Segment("04", {"C2": "ZZH100001"}, wire=f"{FS}AM04{FS}C2ZZH100001   ")
    assert encode_segment(segment) == f"{FS}AM04{FS}C2ZZH100001   "
    assert encode_segment(replace(segment, wire=None)) == f"{FS}AM04{FS}C2ZZH100001"
    assert (
        encode_segment(replace(segment, wire=f"{FS}AM04{FS}C2OTHER")) == f"{FS}AM04{FS}C2ZZH100001"
    )


@pytest.mark.parametrize(
    ("segment", "message"),
    [
        (
            Segment("07", {"D5": "30"}),
            "segment AM07 field 405-D5 Days Supply: expected int, got str",
        ),
        (
            Segment("07", {"D5": 1000}),
            "405-D5 Days Supply: a value of 4 characters does not fit in 3",
        ),
        (Segment("07", {"C2": "X"}), "segment AM07: 302-C2 Cardholder ID does not belong here"),
        (Segment("07", {"DK": "08"}), "420-DK Submission Clarification Code does not belong here"),
        (Segment("07", {"ZZ": "X"}), "field id 'ZZ' does not belong here"),
        (Segment("07", {}, {"NX": [{"EM": "1"}]}), "segment AM07 group NX: 455-EM"),
        (Segment("07", {}, {"NX": {"DK": "08"}}), "group NX: expected a list of occurrences"),
        (Segment("07", {}, {"NX": ["08"]}), "group NX: occurrence 1 is not a dict"),
        (
            Segment("07", {}, {"NX": [{"DK": 8}]}),
            "420-DK Submission Clarification Code: expected a str",
        ),
        (Segment("99", {"ZZ": "X"}), "segment AM99 is not in the dictionary: use unknown"),
        (Segment("7", {}), "segment id '7' is not 2 letters or digits"),
        (Segment("07", {"D7": "000\x1c93"}), "AM07: a value holds a separator"),
        (Segment("07", {"D7": "000\x1e93"}), "AM07: a value holds a separator"),
        (Segment("07", {"D7": "000\n93"}), "non-printable character"),
        (Segment("07", {}, {}, [("ZZ", 5)]), "unknown fields must be"),  # type: ignore[list-item]
    ],
)
def test_models_that_cannot_be_written(segment: Segment, message: str) -> None:
    transmission = Transmission(request_header("B1", 1), {}, [Transaction({segment.id: segment})])
    with pytest.raises(NcpdpBuildError, match=message.replace("(", r"\(").replace(")", r"\)")):
        encode(transmission)


def test_transmission_level_errors() -> None:
    segment = Segment("04", {"C2": "X"})
    with pytest.raises(NcpdpBuildError, match="filed under the key '01'"):
        encode(Transmission(request_header("B1", 1), {"01": segment}, []))
    with pytest.raises(NcpdpBuildError, match="envelope"):
        encode(Transmission(request_header("B1", 1), {}, [], ("X", "")))
    vendor = Segment("99", {}, {}, [("ZZ", "€")], wire=f"{FS}AM99{FS}ZZ€")
    with pytest.raises(NcpdpBuildError, match="outside Latin-1"):
        encode(Transmission(request_header("B1", 1), {"99": vendor}, []))
