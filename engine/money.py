"""Exact money: integer cents inside, dollars only at the edges.

Plan files write dollars (``1500``, ``12.50``); NCPDP writes cents with two implied
decimals. Floats never touch money: a float literal in a plan file is converted
through its shortest decimal text, so ``12.5`` is exactly 1250 cents, and anything
finer than a cent is an error rather than a silent rounding.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

__all__ = [
    "MoneyError",
    "cents_to_dollars",
    "format_cents",
    "parse_dollars",
    "parse_percent",
    "percent_of",
]

_CENT = Decimal("0.01")


class MoneyError(ValueError):
    """A value that cannot be an exact amount of money or an exact percentage."""


def _to_decimal(value: object) -> Decimal:
    if isinstance(value, bool):
        raise MoneyError(f"expected an amount, got {value!r}")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        text = value.strip().replace(",", "").removeprefix("$")
        try:
            return Decimal(text)
        except InvalidOperation as exc:
            raise MoneyError(f"not an amount: {value!r}") from exc
    raise MoneyError(f"expected an amount, got {type(value).__name__}")


def parse_dollars(value: object) -> int:
    """Convert a dollar amount as written in a file (``1500``, ``"12.50"``) to cents."""
    amount = _to_decimal(value)
    if not amount.is_finite():
        raise MoneyError(f"not an amount: {value!r}")
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise MoneyError(f"{value!r} has fractions of a cent")
    return int(cents)


def parse_percent(value: object) -> Decimal:
    """Convert ``"25%"`` to the exact fraction 0.25.

    Only text with a ``%`` sign is accepted: a bare ``1`` could mean 1% or 100%, and
    a coinsurance read the wrong way is a wrong price at the counter.
    """
    if not (isinstance(value, str) and value.strip().endswith("%")):
        raise MoneyError(f"write percentages with a % sign, like '25%': got {value!r}")
    fraction = _to_decimal(value.strip()[:-1]) / 100
    if not fraction.is_finite() or fraction < 0 or fraction > 1:
        raise MoneyError(f"not a percentage between 0% and 100%: {value!r}")
    return fraction


def percent_of(cents: int, fraction: Decimal) -> int:
    """Return ``fraction`` of ``cents``, rounded half up to the cent."""
    return int((Decimal(cents) * fraction).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def cents_to_dollars(cents: int) -> Decimal:
    """Exact dollar value of an amount in cents, for display and JSON."""
    return (Decimal(cents) / 100).quantize(_CENT)


def format_cents(cents: int) -> str:
    """Human text for an amount: ``-$1,234.50``."""
    sign = "-" if cents < 0 else ""
    return f"{sign}${abs(cents) // 100:,}.{abs(cents) % 100:02d}"
