"""The value-type rule: what each kind of field parses to and is written from."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from engine.ncpdp.errors import NcpdpBuildError
from engine.ncpdp.overpunch import format_overpunch
from engine.ncpdp.values import _DATE_MEMO, formatter_for, parse_date, parser_for


@pytest.mark.parametrize(
    ("kind", "length", "decimals", "wire", "value"),
    [
        ("text", 15, 0, "SMITH", "SMITH"),
        ("text", 20, 0, "55558662900         ", "55558662900"),
        ("text", 10, 0, " LEAD", " LEAD"),
        ("text", 10, 0, "", ""),
        ("text", 10, 0, "cert", "cert"),
        ("digits", 2, 0, "01", "01"),
        ("digits", 3, 0, "001", "001"),
        ("digits", 2, 0, " 7 ", "7"),
        ("int", 3, 0, "30", 30),
        ("int", 3, 0, "030", 30),
        ("int", 12, 0, "000001234567", 1234567),
        ("int", 2, 0, "0", 0),
        ("decimal", 10, 3, "30000", Decimal("30.000")),
        ("decimal", 10, 3, "1", Decimal("0.001")),
        ("decimal", 10, 3, "120000", Decimal("120.000")),
        ("decimal", 5, 2, "2550", Decimal("25.50")),
        ("cents", 8, 2, "557{", 5570),
        ("cents", 8, 2, "0000359G", 3597),
        ("cents", 8, 2, "25}", -250),
        ("cents", 8, 2, "{", 0),
        ("cents", 10, 2, "999999999I", 9_999_999_999),
        ("signed_decimal", 7, 4, "82E", Decimal("0.0825")),
        ("signed_decimal", 7, 4, "825{", Decimal("0.8250")),
        ("signed_decimal", 7, 4, "1J", Decimal("-0.0011")),
        ("date", 8, 0, "20260302", date(2026, 3, 2)),
        ("date", 8, 0, "20240229", date(2024, 2, 29)),
    ],
)
def test_parsers_give_the_typed_value(
    kind: str, length: int, decimals: int, wire: str, value: object
) -> None:
    parsed = parser_for(kind, length, decimals)(wire)
    assert parsed == value
    assert type(parsed) is type(value)
    if isinstance(value, Decimal):
        assert parsed.as_tuple().exponent == -decimals  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("kind", "length", "decimals", "wire", "message"),
    [
        ("text", 2, 0, "ABC", "longer than 2 characters"),
        ("digits", 2, 0, "1A", "not a number"),
        ("digits", 2, 0, "", "empty number"),
        ("digits", 2, 0, "123", "longer than 2 digits"),
        ("int", 3, 0, "-1", "not a number"),
        ("int", 3, 0, "1_0", "not a number"),
        ("int", 3, 0, "+1", "not a number"),
        ("int", 3, 0, "²", "not a number"),
        ("decimal", 10, 3, "30.000", "not a number"),
        ("cents", 8, 2, "5570", "last character is not an overpunch sign"),
        ("cents", 8, 2, "000000557{", "longer than 8 characters"),
        ("cents", 8, 2, "5X7{", "non-digit"),
        ("date", 8, 0, "20260230", "not a calendar date"),
        ("date", 8, 0, "2026W011", "not a CCYYMMDD date"),
        ("date", 8, 0, "2026-3-2", "not a CCYYMMDD date"),
        ("date", 8, 0, "00000000", "not a calendar date"),
    ],
)
def test_parsers_refuse_bad_text(
    kind: str, length: int, decimals: int, wire: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        parser_for(kind, length, decimals)(wire)


def test_a_refused_value_is_never_remembered() -> None:
    parse = parser_for("int", 3, 0)
    for _ in range(2):
        with pytest.raises(ValueError, match="not a number"):
            parse("3X")
    assert parse("31") == 31


def test_dates_are_memoised_but_still_checked() -> None:
    assert parse_date("19800115") is parse_date("19800115")
    with pytest.raises(ValueError, match="calendar"):
        parse_date("19800132")


@pytest.mark.parametrize(
    ("kind", "length", "decimals", "value", "wire"),
    [
        ("text", 15, 0, "SMITH", "SMITH"),
        ("text", 15, 0, "SMITH   ", "SMITH"),
        ("text", 15, 0, "", ""),
        ("digits", 2, 0, "01", "01"),
        ("int", 3, 0, 30, "30"),
        ("int", 2, 0, 0, "0"),
        ("decimal", 10, 3, Decimal("30"), "30000"),
        ("decimal", 10, 3, Decimal("0.001"), "1"),
        ("decimal", 10, 3, 12, "12000"),
        ("cents", 8, 2, 5570, "557{"),
        ("cents", 8, 2, -1337, "133P"),
        ("cents", 8, 2, 0, "{"),
        ("cents", 8, 2, 99_999_999, "9999999I"),
        ("signed_decimal", 7, 4, Decimal("0.0825"), "82E"),
        ("date", 8, 0, date(2026, 3, 2), "20260302"),
        ("date", 8, 0, date(1, 1, 1), "00010101"),
    ],
)
def test_formatters_write_canonical_text(
    kind: str, length: int, decimals: int, value: object, wire: str
) -> None:
    assert formatter_for(kind, length, decimals)(value) == wire  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "length", "decimals", "value", "message"),
    [
        ("text", 2, 0, "ABC", "3 characters does not fit in 2"),
        ("text", 2, 0, 12, "expected a str, got int"),
        ("digits", 2, 0, "1A", "expected ASCII digits"),
        ("digits", 2, 0, 1, "expected a str"),
        ("int", 3, 0, 1000, "4 characters does not fit in 3"),
        ("int", 3, 0, -1, "negative"),
        ("int", 3, 0, True, "expected int, got bool"),
        ("int", 3, 0, "30", "expected int, got str"),
        ("decimal", 10, 3, Decimal("0.0001"), "more than 3 decimal places"),
        ("decimal", 10, 3, Decimal("-1"), "negative"),
        ("decimal", 10, 3, 1.5, "expected Decimal or int, got float"),
        ("decimal", 10, 3, Decimal("NaN"), "more than 3 decimal places"),
        ("decimal", 10, 3, Decimal("sNaN"), "not a number"),
        ("cents", 8, 2, 100_000_000, "9 characters does not fit in 8"),
        ("cents", 8, 2, 55.7, "expected int, got float"),
        ("cents", 8, 2, Decimal("55.70"), "expected int, got Decimal"),
        ("date", 8, 0, datetime(2026, 3, 2), "expected date, got datetime"),
        ("date", 8, 0, "20260302", "expected date, got str"),
    ],
)
def test_formatters_refuse_what_the_field_cannot_hold(
    kind: str, length: int, decimals: int, value: object, message: str
) -> None:
    with pytest.raises(NcpdpBuildError, match=message):
        formatter_for(kind, length, decimals)(value)  # type: ignore[arg-type]


def test_true_is_never_taken_for_one_even_after_one_was_written() -> None:
    write = formatter_for("cents", 8, 2)
    assert write(1) == "A"
    with pytest.raises(NcpdpBuildError, match="bool"):
        write(True)  # type: ignore[arg-type]


def test_unknown_kinds_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown field kind 'money'"):
        parser_for("money", 8, 2)
    with pytest.raises(ValueError, match="unknown field kind 'money'"):
        formatter_for("money", 8, 2)


def test_memos_stay_bounded_and_right() -> None:
    parse, write = parser_for("int", 12, 0), formatter_for("cents", 10, 2)
    days = [date(2000, 1, 1) + timedelta(days=n) for n in range(9000)]
    for n, day in enumerate(days):
        assert parse(str(10**6 + n)) == 10**6 + n
        assert write(-n) == (format_overpunch(-n))
        assert parse_date(day.strftime("%Y%m%d")) == day
    assert len(_DATE_MEMO) <= 8192
