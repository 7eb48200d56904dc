"""Repeating groups: counted, counter-led and nested, and what happens when they are wrong."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from engine.ncpdp.report import Report
from engine.ncpdp.segparse import parse_segment

FS = "\x1c"


def _parse(fields: str, sid: str = "07", request: bool = True, offset: int = 100):
    report = Report()
    text = FS + "AM" + sid + "".join(FS + field for field in fields.split())
    segment = parse_segment(text, offset, 1, request, report)
    issues = [(i.reject.code, i.offset, i.field, i.occurrence) for i in report.issues]
    return segment, issues, text


def test_counted_group_in_the_claim() -> None:
    segment, issues, _ = _parse("EM1 NX2 DK20 DK21 D530")
    assert issues == []
    assert segment.fields == {"EM": "1", "D5": 30}
    assert segment.repeats == {"NX": [{"DK": "20"}, {"DK": "21"}]}
    assert segment.group("NX") == [{"DK": "20"}, {"DK": "21"}]
    assert segment.group("SE") == []


def test_reject_codes_with_their_occurrence_indicators() -> None:
    segment, issues, _ = _parse("ANR FA3 FB70 4F1 FB75 FB88 4F3 7F03", "21", False)
    assert issues == []
    assert segment.group("FA") == [{"FB": "70", "4F": 1}, {"FB": "75"}, {"FB": "88", "4F": 3}]
    assert segment.fields == {"AN": "R", "7F": "03"}


def test_message_lines_start_a_new_occurrence_on_repeat_even_without_a_qualifier() -> None:
    segment, issues, _ = _parse("ANP UF2 FQFIRST UG+ FQSECOND", "21", False)
    assert issues == []
    assert segment.group("UF") == [{"FQ": "FIRST", "UG": "+"}, {"FQ": "SECOND"}]


def test_nested_groups_of_other_payers() -> None:
    fields = (
        "4C2 5C01 6C03 7C610097 HB2 HC07 DV100{ HC01 DV25{ NR1 NP06 NQ50{"
        " 5C02 6C03 7C610098 5E1 6E70"
    )
    segment, issues, _ = _parse(fields, "05")
    assert issues == []
    assert segment.group("4C") == [
        {
            "5C": "01",
            "6C": "03",
            "7C": "610097",
            "HB": [{"HC": "07", "DV": 1000}, {"HC": "01", "DV": 250}],
            "NR": [{"NP": "06", "NQ": 500}],
        },
        {"5C": "02", "6C": "03", "7C": "610098", "5E": [{"6E": "70"}]},
    ]


def test_counter_led_dur_occurrences() -> None:
    segment, issues, _ = _parse("7E1 E4DD E5M0 E61B 7E2 E4TD J903 H6123", "08")
    assert issues == []
    assert segment.group("7E") == [
        {"7E": 1, "E4": "DD", "E5": "M0", "E6": "1B"},
        {"7E": 2, "E4": "TD", "J9": "03", "H6": "123"},
    ]


def test_clinical_counts_and_counters() -> None:
    segment, issues, _ = _parse("VE2 WE02 DOE119 WE02 DOI10 XE1 ZE20260301 H10930 H2ZZ H4120", "13")
    assert issues == []
    assert segment.group("VE") == [{"WE": "02", "DO": "E119"}, {"WE": "02", "DO": "I10"}]
    assert segment.group("XE") == [
        {
            "XE": 1,
            "ZE": date(2026, 3, 1),
            "H1": "0930",
            "H2": "ZZ",
            "H4": "120",
        }
    ]


def test_compound_ingredients_with_modifiers() -> None:
    segment, issues, _ = _parse(
        "EF01 EG1 EC2 RE03 TE1 ED12000 EE5{ UE01 2G1 2HAA RE03 TE2 ED500", "10"
    )
    assert issues == []
    assert segment.group("EC") == [
        {
            "RE": "03",
            "TE": "1",
            "ED": Decimal("12.000"),
            "EE": 50,
            "UE": "01",
            "2G": [{"2H": "AA"}],
        },
        {"RE": "03", "TE": "2", "ED": Decimal("0.500")},
    ]


def test_a_field_after_the_group_closes_it_and_order_outside_groups_is_free() -> None:
    segment, issues, _ = _parse("D530 NX1 DK08 EM1 D21234567")
    assert issues == []
    assert segment.fields == {"D5": 30, "EM": "1", "D2": 1234567}
    assert segment.group("NX") == [{"DK": "08"}]


def test_a_zero_count_keeps_an_empty_group() -> None:
    segment, issues, _ = _parse("EM1 NX0")
    assert issues == []
    assert segment.repeats == {"NX": []}


@pytest.mark.parametrize(
    ("fields", "sid", "expected"),
    [
        ("NX2 DK20", "07", [("SG", "NX")]),
        ("NX1 DK20 DK21", "07", [("SG", "NX")]),
        ("D9{ H72 H801 H9{", "11", [("R1", "H7")]),
        ("4C1 5C01 NR2 NP06 NQ5{", "05", [("SH", "NR")]),
        ("4C2 5C01", "05", [("4C", "4C")]),
        ("SE1", "07", [("SE", "SE")]),
    ],
)
def test_counts_that_do_not_match(fields: str, sid: str, expected: list[tuple[str, str]]) -> None:
    _, issues, text = _parse(fields, sid)
    assert [(code, field) for code, _, field, _ in issues] == expected
    count = expected[0][1]
    assert issues[0][1] == 100 + 1 + text.index(FS + count) + 1


def test_members_without_their_count_or_counter() -> None:
    segment, issues, _ = _parse("EM1 DK20 DK21")
    assert [(code, field) for code, _, field, _ in issues] == [("SG", "DK")]
    assert segment.group("NX") == [{"DK": "20"}, {"DK": "21"}]
    segment, issues, _ = _parse("E4DD E5M0 7E2 E4TD", "08")
    assert [(code, field, occurrence) for code, _, field, occurrence in issues] == [("7E", "E4", 1)]
    assert segment.group("7E") == [{"E4": "DD", "E5": "M0"}, {"7E": 2, "E4": "TD"}]


def test_a_bad_count_or_member_names_its_occurrence() -> None:
    segment, issues, _ = _parse("NXA DK20")
    assert [(code, field) for code, _, field, _ in issues] == [("SG", "NX")]
    assert segment.unknown == [("NX", "A")]
    segment, issues, _ = _parse("4C1 5C01 HB2 HC07 DV100{ HC01 DV25X", "05")
    assert [(code, field, occurrence) for code, _, field, occurrence in issues] == [("DV", "DV", 2)]
    assert segment.group("4C")[0]["HB"] == [{"HC": "07", "DV": 1000}, {"HC": "01"}]
    assert segment.unknown == [("DV", "25X")]


def test_a_repeated_count_is_reported() -> None:
    _, issues, _ = _parse("NX1 DK20 NX1 DK21")
    assert [(code, field) for code, _, field, _ in issues] == [
        ("SG", "NX"),
        ("SG", "NX"),
        ("SG", "NX"),
    ]


def test_a_segment_id_that_is_not_letters_or_digits() -> None:
    report = Report()
    assert parse_segment(f"{FS}AM0!{FS}C2X", 7, None, True, report) is None
    assert [(i.reject.code, i.offset, i.message) for i in report.issues] == [
        ("AM", 7, "segment id is not 2 letters or digits")
    ]
