"""Typed field values: one parser and one formatter per kind of field.

The field dictionary (``fields.csv``) gives every field a *kind*; the kind decides the
Python type its value has in the model. The rule, by DD format:

==============  ==================================  =====================================
kind            DD formats                           Python value
==============  ==================================  =====================================
text            ``x(n)`` (A/N)                       ``str``, trailing spaces trimmed
digits          ``9(n)`` codes whose leading zeros   ``str`` of ASCII digits, as sent
                matter: qualifiers and codes (308-C8,
                307-C7, 305-C5), BINs, phone numbers
int             ``9(n)`` true numbers: counts,      ``int``
                counters, 402-D2, 403-D3, 405-D5,
                415-DF, 546-4F
decimal         ``9(n)v9..`` (442-E7, 379-4D)        ``decimal.Decimal`` with the implied
                                                     places (``30000`` -> ``30.000``)
cents           ``s9(n)v99`` signed overpunch money  ``int`` cents (``557{`` -> 5570)
signed_decimal  ``s9(3)v4`` rates (483-HE, 560-AY)   ``decimal.Decimal`` (4 places)
date            ``9(8)`` CCYYMMDD dates              ``datetime.date``
==============  ==================================  =====================================

Numeric kinds tolerate space padding on either side; text keeps leading spaces
(A/N is left-justified, so a leading space is data). Parsers raise ``ValueError``
with a message that never repeats the value: field values are patient data.
Formatters write the canonical form (no padding, no leading zeros) and raise
``NcpdpBuildError`` for a value the field cannot hold.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import cache

from engine.ncpdp.errors import NcpdpBuildError
from engine.ncpdp.overpunch import format_overpunch, parse_overpunch

__all__ = ["KINDS", "Value", "format_date", "formatter_for", "parse_date", "parser_for"]

Value = str | int | Decimal | date
"""A typed field value."""

KINDS = ("text", "digits", "int", "decimal", "cents", "signed_decimal", "date")

Parser = Callable[[str], Value]
Formatter = Callable[[Value], str]

_MEMO_LIMIT = 8192
_DATE_MEMO: dict[str, date] = {}


def parse_date(text: str) -> date:
    """Read a CCYYMMDD date; dates repeat a lot on the wire, so results are memoised."""
    found = _DATE_MEMO.get(text)
    if found is not None:
        return found
    value = text.strip(" ")
    if len(value) != 8 or not (value.isdecimal() and value.isascii()):
        raise ValueError("not a CCYYMMDD date")
    try:
        parsed = date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        raise ValueError("not a calendar date") from None
    if len(_DATE_MEMO) >= _MEMO_LIMIT:
        _DATE_MEMO.clear()
    _DATE_MEMO[text] = parsed
    return parsed


def format_date(value: date) -> str:
    """Write a date as CCYYMMDD."""
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


def _digits(text: str, max_length: int) -> str:
    value = text.strip(" ")
    if not (value.isdecimal() and value.isascii()):
        raise ValueError("not a number" if value else "empty number")
    if len(value) > max_length:
        raise ValueError(f"longer than {max_length} digits")
    return value


def _signed(text: str, max_length: int) -> int:
    value = text.strip(" ")
    if len(value) > max_length:
        raise ValueError(f"longer than {max_length} characters")
    return parse_overpunch(value)


def _memoised(parse: Parser) -> Parser:
    """Remember what a numeric text parsed to.

    Days supply, fill numbers, quantities and amounts repeat from claim to claim, and a
    dict lookup is cheaper than a parse.
    """
    memo: dict[str, Value] = {}

    def parse_memoised(text: str) -> Value:
        value = memo.get(text)
        if value is None:
            value = parse(text)
            if len(memo) >= _MEMO_LIMIT:
                memo.clear()
            memo[text] = value
        return value

    return parse_memoised


@cache
def parser_for(kind: str, max_length: int, decimals: int) -> Parser:
    """The parser of one field: wire text in, typed value out (``ValueError`` if invalid).

    Fields of the same kind and size share one parser, and so one memo.
    """
    if kind == "text":

        def parse_text(text: str) -> Value:
            value = text.rstrip(" ")
            if len(value) > max_length:
                raise ValueError(f"longer than {max_length} characters")
            return value

        return parse_text
    if kind == "digits":
        return _memoised(lambda text: _digits(text, max_length))
    if kind == "int":
        return _memoised(lambda text: int(_digits(text, max_length)))
    if kind == "decimal":
        return _memoised(lambda text: Decimal(_digits(text, max_length)).scaleb(-decimals))
    if kind == "cents":
        return _memoised(lambda text: _signed(text, max_length))
    if kind == "signed_decimal":
        return _memoised(lambda text: Decimal(_signed(text, max_length)).scaleb(-decimals))
    if kind == "date":
        return parse_date
    raise ValueError(f"unknown field kind {kind!r}")


def _scaled(value: Value, decimals: int) -> int:
    scaled = Decimal(value).scaleb(decimals)  # type: ignore[arg-type]
    if not scaled.is_finite() or scaled != scaled.to_integral_value():
        raise NcpdpBuildError(f"a value with more than {decimals} decimal places")
    return int(scaled)


def _fits(text: str, max_length: int) -> str:
    if len(text) > max_length:
        raise NcpdpBuildError(f"a value of {len(text)} characters does not fit in {max_length}")
    return text


def _memoised_format(format_value: Formatter, types: tuple[type, ...]) -> Formatter:
    """Remember the text of a value: amounts, counts and dates repeat across responses.

    Only values of exactly the accepted types are remembered, so ``True`` is never
    mistaken for ``1``.
    """
    memo: dict[Value, str] = {}
    names = " or ".join(kind.__name__ for kind in types)

    def format_memoised(value: Value) -> str:
        if type(value) not in types:
            raise NcpdpBuildError(f"expected {names}, got {type(value).__name__}")
        try:
            text = memo.get(value)
        except TypeError:
            raise NcpdpBuildError("a value that is not a number") from None
        if text is None:
            text = format_value(value)
            if len(memo) >= _MEMO_LIMIT:
                memo.clear()
            memo[value] = text
        return text

    return format_memoised


def _format_text(value: Value, max_length: int, digits: bool) -> str:
    if type(value) is not str:
        raise NcpdpBuildError(f"expected a str, got {type(value).__name__}")
    text = value.rstrip(" ")
    if digits and not (text.isdecimal() and text.isascii()):
        raise NcpdpBuildError("expected ASCII digits")
    return _fits(text, max_length)


@cache
def formatter_for(kind: str, max_length: int, decimals: int) -> Formatter:
    """The formatter of one field: typed value in, canonical wire text out."""
    if kind == "text":

        def format_text(value: Value) -> str:
            if type(value) is str and len(value) <= max_length and value[-1:] != " ":
                return value
            return _format_text(value, max_length, False)

        return format_text
    if kind == "digits":

        def format_digits(value: Value) -> str:
            if (
                type(value) is str
                and len(value) <= max_length
                and value.isdecimal()
                and value.isascii()
            ):
                return value
            return _format_text(value, max_length, True)

        return format_digits
    if kind == "date":
        return _memoised_format(format_date, (date,))  # type: ignore[arg-type]
    if kind == "int":

        def format_int(value: Value) -> str:
            if value < 0:  # type: ignore[operator]
                raise NcpdpBuildError("a negative value in an unsigned field")
            return _fits(str(value), max_length)

        return _memoised_format(format_int, (int,))
    if kind == "cents":
        return _memoised_format(
            lambda value: _fits(format_overpunch(value), max_length),  # type: ignore[arg-type]
            (int,),
        )

    def format_scaled(value: Value) -> str:
        number = _scaled(value, decimals)
        if kind == "signed_decimal":
            return _fits(format_overpunch(number), max_length)
        if number < 0:
            raise NcpdpBuildError("a negative value in an unsigned field")
        return _fits(str(number), max_length)

    if kind in ("decimal", "signed_decimal"):
        return _memoised_format(format_scaled, (Decimal, int))
    raise ValueError(f"unknown field kind {kind!r}")
