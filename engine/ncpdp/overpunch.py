"""Signed overpunch: the sign of an NCPDP signed number rides on its last character.

Every ``s9(..)`` field (money, tax rates) writes its digits as usual except the last,
which is replaced by a letter that carries both the units digit and the sign
(NCPDP Data Dictionary, "Internal Representation of Overpunch Signs")::

    digit     0 1 2 3 4 5 6 7 8 9
    positive  { A B C D E F G H I
    negative  } J K L M N O P Q R

So ``557{`` is +5570 and ``25}`` is -250 in units of the last implied decimal place.
Zero is always written positive. These functions deal in whole units; applying the
implied decimals (cents for money, 1/10,000 for rates) is the caller's job, so money
never passes through a float.
"""

from __future__ import annotations

__all__ = ["NEGATIVE", "POSITIVE", "OverpunchError", "format_overpunch", "parse_overpunch"]

POSITIVE = "{ABCDEFGHI"
"""Last character of a positive number, indexed by its units digit."""

NEGATIVE = "}JKLMNOPQR"
"""Last character of a negative number, indexed by its units digit."""

_LAST: dict[str, tuple[str, bool]] = {
    **{char: (str(digit), False) for digit, char in enumerate(POSITIVE)},
    **{char: (str(digit), True) for digit, char in enumerate(NEGATIVE)},
}


class OverpunchError(ValueError):
    """Text that is not a signed overpunch number."""


def parse_overpunch(text: str) -> int:
    """Read ``"557{"`` as 5570 and ``"25}"`` as -250.

    Leading zeros are allowed (``"0000359G"`` is 3597); anything but ASCII digits
    before the last character, or a last character outside the table, is an error:
    a plain last digit carries no sign, and guessing one would misstate money.
    """
    if not text:
        raise OverpunchError("empty signed number")
    last = _LAST.get(text[-1])
    if last is None:
        raise OverpunchError("last character is not an overpunch sign")
    head = text[:-1]
    if head and not (head.isdecimal() and head.isascii()):
        raise OverpunchError("signed number has a non-digit before its last character")
    value = int(head + last[0])
    return -value if last[1] else value


def format_overpunch(value: int, width: int = 0) -> str:
    """Write 5570 as ``"557{"``, -250 as ``"25}"`` and 0 as ``"{"``.

    The result has no leading zeros unless ``width`` asks for zero fill (fixed-width
    files); zero is always positive because ``-0`` does not exist for integers.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"overpunch needs an int, got {type(value).__name__}")
    digits = str(abs(value)).rjust(width, "0")
    table = NEGATIVE if value < 0 else POSITIVE
    return digits[:-1] + table[ord(digits[-1]) - 48]
