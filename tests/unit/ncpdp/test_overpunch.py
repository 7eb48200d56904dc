"""Signed overpunch, exhaustively: every digit, both signs, and the reference's values."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.ncpdp.overpunch import (
    NEGATIVE,
    POSITIVE,
    OverpunchError,
    format_overpunch,
    parse_overpunch,
)

# The DD table "Internal Representation of Overpunch Signs", written out by hand.
TABLE = [
    (0, "{", "}"),
    (1, "A", "J"),
    (2, "B", "K"),
    (3, "C", "L"),
    (4, "D", "M"),
    (5, "E", "N"),
    (6, "F", "O"),
    (7, "G", "P"),
    (8, "H", "Q"),
    (9, "I", "R"),
]


@pytest.mark.parametrize(("digit", "positive", "negative"), TABLE)
def test_every_last_digit_reads_with_its_sign(digit: int, positive: str, negative: str) -> None:
    assert parse_overpunch(positive) == digit
    assert parse_overpunch("12" + positive) == 120 + digit
    assert parse_overpunch("12" + negative) == -(120 + digit)
    if digit:
        assert parse_overpunch(negative) == -digit


@pytest.mark.parametrize(("digit", "positive", "negative"), TABLE)
def test_every_last_digit_writes_with_its_sign(digit: int, positive: str, negative: str) -> None:
    assert format_overpunch(120 + digit) == "12" + positive
    assert format_overpunch(-(120 + digit)) == "12" + negative


def test_the_tables_are_the_dd_table() -> None:
    assert [row[1] for row in TABLE] == list(POSITIVE)
    assert [row[2] for row in TABLE] == list(NEGATIVE)


@pytest.mark.parametrize(
    ("wire", "units"),
    [
        ("557{", 5570),
        ("100{", 1000),
        ("716E", 7165),
        ("357F", 3576),
        ("2785{", 27850),
        ("500{", 5000),
        ("0000359G", 3597),
        ("25}", -250),
        ("133P", -1337),
        ("0000005A", 51),
    ],
)
def test_worked_values_of_the_reference(wire: str, units: int) -> None:
    assert parse_overpunch(wire) == units


def test_zero_is_always_written_positive() -> None:
    assert format_overpunch(0) == "{"
    assert format_overpunch(-0) == "{"
    assert parse_overpunch("}") == 0
    assert format_overpunch(parse_overpunch("0}")) == "{"


def test_writing_has_no_leading_zeros_unless_asked() -> None:
    assert format_overpunch(5570) == "557{"
    assert format_overpunch(5) == "E"
    assert format_overpunch(3597, width=8) == "0000359G"
    assert format_overpunch(-250, width=5) == "0025}"


@pytest.mark.parametrize("wire", ["", "557", "55.7{", "5 7{", "-57{", "57{{", "A5{", "5a", "٣{"])
def test_malformed_text_is_refused(wire: str) -> None:
    with pytest.raises(OverpunchError):
        parse_overpunch(wire)


@pytest.mark.parametrize("value", [True, 1.5, "12", None])
def test_writing_needs_an_int(value: object) -> None:
    with pytest.raises(TypeError):
        format_overpunch(value)  # type: ignore[arg-type]


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_any_integer_survives_a_round_trip(value: int) -> None:
    text = format_overpunch(value)
    assert parse_overpunch(text) == value
    assert text[-1] in (NEGATIVE if value < 0 else POSITIVE)
    assert text[:-1] == str(abs(value))[:-1]
