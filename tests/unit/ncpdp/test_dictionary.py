"""The field and segment dictionary: one table, consistent with itself and the reference."""

from __future__ import annotations

import re

import pytest

from engine.ncpdp.dictionary import FIELDS, SEGMENTS, _layout, _load_fields, _load_segments
from engine.ncpdp.rejects import RejectCode


def _width(fmt: str) -> tuple[int, int, bool]:
    """(max length, implied decimals, signed) read from a DD format by hand-written rules:
    ``v99``/``v999`` count their nines, ``v4`` states the number of places."""
    match = re.fullmatch(r"(s?)[x9]\((\d+)\)(?:v(\d+))?", fmt)
    assert match, fmt
    signed, digits, decimals = match.groups()
    places = 0
    if decimals:
        places = len(decimals) if set(decimals) == {"9"} else int(decimals)
    return int(digits) + places, places, bool(signed)


@pytest.mark.parametrize("fid", sorted(FIELDS))
def test_each_field_agrees_with_its_format(fid: str) -> None:
    field = FIELDS[fid]
    assert (field.max_length, field.decimals, field.signed) == _width(field.format)
    if field.format.startswith("x"):
        assert field.kind == "text" or fid == "A9"
    elif field.signed:
        assert field.kind == ("cents" if field.decimals == 2 else "signed_decimal")
    elif field.decimals:
        assert field.kind == "decimal"
    elif "Date" in field.name and field.format == "9(8)":
        assert field.kind == "date"
    else:
        assert field.kind in ("int", "digits")


@pytest.mark.parametrize(
    ("fid", "label", "fmt", "kind"),
    [
        ("D7", "407-D7 Product/Service ID", "x(19)", "text"),
        ("E7", "442-E7 Quantity Dispensed", "9(7)v999", "decimal"),
        ("D9", "409-D9 Ingredient Cost Submitted", "s9(6)v99", "cents"),
        ("NQ", "352-NQ Other Payer-Patient Responsibility Amount", "s9(8)v99", "cents"),
        ("HE", "483-HE Percentage Sales Tax Rate Submitted", "s9(3)v4", "signed_decimal"),
        ("4D", "379-4D Question Percent Response", "9(3)v99", "decimal"),
        ("4H", "381-4H Question Dollar Amount Response", "s9(9)v99", "cents"),
        ("4J", "382-4J Question Numeric Response", "9(11)", "int"),
        ("UK", "134-UK Amount Attributed to Product Selection/Brand Drug", "s9(6)v99", "cents"),
        ("D2", "402-D2 Prescription/Service Reference Number", "9(12)", "int"),
        ("D5", "405-D5 Days Supply", "9(3)", "int"),
        ("D3", "403-D3 Fill Number", "9(2)", "int"),
        ("DF", "415-DF Number of Refills Authorized", "9(2)", "int"),
        ("4F", "546-4F Rejected Field Occurrence Indicator", "9(2)", "int"),
        ("C8", "308-C8 Other Coverage Code", "9(2)", "digits"),
        ("C7", "307-C7 Place of Service", "9(2)", "digits"),
        ("C5", "305-C5 Patient Gender Code", "9(1)", "digits"),
        ("C3", "303-C3 Person Code", "x(3)", "text"),
        ("FB", "511-FB Reject Code", "x(3)", "text"),
        ("A1", "101-A1 BIN Number", "9(6)", "digits"),
        ("C4", "304-C4 Date Of Birth", "9(8)", "date"),
        ("H1", "495-H1 Measurement Time", "9(4)", "digits"),
        ("PP", "498-PP Prior Authorization Supporting Documentation", "x(500)", "text"),
    ],
)
def test_fields_named_in_the_reference(fid: str, label: str, fmt: str, kind: str) -> None:
    assert (FIELDS[fid].label, FIELDS[fid].format, FIELDS[fid].kind) == (label, fmt, kind)


@pytest.mark.parametrize(
    ("fid", "code"),
    [
        ("D7", "21"),
        ("TE", "21"),
        ("D5", "19"),
        ("C4", "09"),
        ("E7", "E7"),
        ("D9", "23"),
        ("DU", "DU"),
        ("RE", "E1"),
        ("UE", "DN"),
        ("A1", "01"),
        ("A9", "A9"),
        ("D1", "15"),
        ("B1", "05"),
        ("C7", "12"),
        ("AM", "AM"),
        ("PY", "3N"),
        ("NX", "SG"),
        ("H7", "R1"),
    ],
)
def test_missing_or_invalid_reject_codes(fid: str, code: str) -> None:
    assert FIELDS[fid].reject == RejectCode(code)


def test_count_mismatch_codes() -> None:
    counted = {fid: field.count_reject.code for fid, field in FIELDS.items() if field.count_reject}
    assert counted == {"NX": "SG", "H7": "R1", "NR": "SH"}
    assert FIELDS["NR"].reject == RejectCode.MI_OTHER_PAYER_PATIENT_RESPONSIBILITY_AMOUNT_COUNT


def test_reject_codes_name_their_field_where_the_ecl_names_any() -> None:
    chosen_without_ecl_field = {"B2", "C7"}
    for fid, field in FIELDS.items():
        if field.reject is None or not field.reject.fields:
            continue
        assert f"{field.number}-{fid}" in field.reject.fields or fid in chosen_without_ecl_field


def test_fields_without_a_code_are_left_empty_not_guessed() -> None:
    assert FIELDS["CB"].reject == RejectCode.MI_PATIENT_LAST_NAME
    assert FIELDS["DR"].reject is None
    assert FIELDS["F5"].reject is None


def test_deleted_fields_are_known_and_marked() -> None:
    assert FIELDS["1E"].deleted
    assert FIELDS["H5"].deleted
    assert not any(FIELDS[fid].deleted for segment in SEGMENTS.values() for fid in segment.known)


def test_every_segment_of_d0() -> None:
    requests = {sid for sid, segment in SEGMENTS.items() if segment.request}
    responses = set(SEGMENTS) - requests
    assert requests == {f"{n:02d}" for n in range(1, 17)}
    assert responses == {f"{n}" for n in range(20, 30)}
    before_gs = {sid for sid, segment in SEGMENTS.items() if segment.level == "transmission"}
    assert before_gs == {"01", "04", "20", "25", "27", "29"}
    assert SEGMENTS["07"].reject == RejectCode.MI_REQUEST_CLAIM_SEGMENT


def test_implementation_guide_order() -> None:
    assert SEGMENTS["07"].order[:8] == ("EM", "D2", "E1", "D7", "EN", "EP", "SE", "E7")
    assert SEGMENTS["23"].order[:5] == ("F5", "F6", "F7", "AV", "AW")
    assert SEGMENTS["21"].order == ("AN", "F3", "FA", "5F", "UF", "7F", "8F", "K5", "A7", "MA")
    assert SEGMENTS["29"].order == ("CA", "CB", "C4")


def _shape(group: object) -> object:
    key, led = group.key, group.led  # type: ignore[attr-defined]
    items = [
        _shape(group.groups[fid]) if fid in group.groups else fid  # type: ignore[attr-defined]
        for fid in group.order  # type: ignore[attr-defined]
    ]
    return (key, "led" if led else "counted", items)


@pytest.mark.parametrize(
    ("sid", "shapes"),
    [
        ("07", [("SE", "counted", ["ER"]), ("NX", "counted", ["DK"])]),
        (
            "05",
            [
                (
                    "4C",
                    "counted",
                    [
                        "5C",
                        "6C",
                        "7C",
                        "E8",
                        "A7",
                        ("HB", "counted", ["HC", "DV"]),
                        ("5E", "counted", ["6E"]),
                        ("NR", "counted", ["NP", "NQ"]),
                        ("MU", "counted", ["MV", "MW"]),
                    ],
                )
            ],
        ),
        ("08", [("7E", "led", ["7E", "E4", "E5", "E6", "8E", "J9", "H6"])]),
        (
            "10",
            [("EC", "counted", ["RE", "TE", "ED", "EE", "UE", ("2G", "counted", ["2H"])])],
        ),
        ("11", [("H7", "counted", ["H8", "H9"])]),
        (
            "13",
            [
                ("VE", "counted", ["WE", "DO"]),
                ("XE", "led", ["XE", "ZE", "H1", "H2", "H3", "H4"]),
            ],
        ),
        ("14", [("2Z", "counted", ["4B", "4D", "4G", "4H", "4J", "4K"])]),
        (
            "21",
            [
                ("FA", "counted", ["FB", "4F"]),
                ("5F", "counted", ["6F"]),
                ("UF", "counted", ["UH", "FQ", "UG"]),
            ],
        ),
        ("22", [("9F", "counted", ["AP", "AR", "AS", "AT", "AU"])]),
        ("23", [("J2", "counted", ["J3", "J4"]), ("MU", "counted", ["MV", "MW"])]),
        ("24", [("J6", "led", ["J6", "E4", "FS", "FT", "FU", "FV", "FW", "FX", "FY", "NS"])]),
        (
            "28",
            [
                (
                    "NT",
                    "counted",
                    ["5C", "6C", "7C", "MH", "NU", "MJ", "UV", "UB", "UW", "UX", "UY"],
                )
            ],
        ),
        ("01", []),
    ],
)
def test_repeating_groups(sid: str, shapes: list[object]) -> None:
    assert [_shape(group) for group in SEGMENTS[sid].groups.values()] == shapes


def test_group_members_are_not_plain_fields_of_the_segment() -> None:
    claim = SEGMENTS["07"]
    assert "DK" not in claim.plain
    assert "NX" not in claim.plain
    assert claim.owner["DK"].key == "NX"
    assert SEGMENTS["05"].owner["DV"].key == "4C"
    assert SEGMENTS["05"].groups["4C"].owner["DV"].key == "HB"


@pytest.mark.parametrize(
    ("layout", "message"),
    [
        ("EM NX[ DK", "unbalanced"),
        ("EM NX[ DK }", "unbalanced"),
        ("EM ] DK", "unbalanced"),
        ("E", "has"),
    ],
)
def test_a_broken_layout_is_refused(layout: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _layout(layout, "99")


def test_a_broken_dictionary_row_is_refused() -> None:
    row = {"id": "ZZ", "number": "999", "name": "Test", "format": "x(1)", "max_length": "1"}
    row |= {"decimals": "0", "signed": "no", "kind": "money", "reject": "", "count_reject": ""}
    row |= {"deleted": "no"}
    with pytest.raises(ValueError, match="field ZZ has unknown kind 'money'"):
        _load_fields([row])
    segment = {"id": "98", "name": "Test", "side": "request", "level": "transaction"}
    segment |= {"reject": "", "layout": "C2 ZZ"}
    with pytest.raises(ValueError, match=r"segment 98 uses unknown fields \['ZZ'\]"):
        _load_segments([segment], FIELDS)
