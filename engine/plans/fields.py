"""Field types shared by every plan-side file: money, percentages, dates, effective ranges.

Analysts write dollars and ``25%``; these types convert at load time, exactly, so
nothing downstream ever sees a float or a bare percentage.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    model_validator,
)

from engine.money import MoneyError, cents_to_dollars, parse_dollars, parse_percent

__all__ = [
    "Effective",
    "FileModel",
    "Money",
    "MonthDay",
    "Percent",
    "VersionId",
]


def _money(value: Any) -> int:
    try:
        cents = parse_dollars(value)
    except MoneyError as exc:
        raise ValueError(str(exc)) from exc
    if cents < 0:
        raise ValueError(f"amount must not be negative: {value!r}")
    return cents


def _percent(value: Any) -> Decimal:
    try:
        return parse_percent(value)
    except MoneyError as exc:
        raise ValueError(str(exc)) from exc


def _month_day(value: Any) -> tuple[int, int]:
    if isinstance(value, tuple):
        month, day = value
    else:
        text = str(value).strip()
        try:
            month_text, day_text = text.split("-")
            month, day = int(month_text), int(day_text)
        except ValueError as exc:
            raise ValueError(
                f"write the plan year start as MM-DD, like 07-01: got {value!r}"
            ) from exc
    try:
        dt.date(2001, month, day)  # a non-leap year: 02-29 cannot start a plan year
    except ValueError as exc:
        raise ValueError(f"not a day of the year: {value!r}") from exc
    return month, day


def _version(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"a version is text like '2026.1': got {value!r}")
    text = str(value).strip()
    if not text:
        raise ValueError("a version must not be empty")
    return text


Money = Annotated[int, BeforeValidator(_money), PlainSerializer(lambda c: str(cents_to_dollars(c)))]
"""Dollars in the file, integer cents in memory."""

Percent = Annotated[Decimal, BeforeValidator(_percent), PlainSerializer(lambda p: f"{p * 100}%")]
"""``"25%"`` in the file, the exact fraction 0.25 in memory."""

MonthDay = Annotated[
    tuple[int, int],
    BeforeValidator(_month_day),
    PlainSerializer(lambda md: f"{md[0]:02d}-{md[1]:02d}"),
]
"""A month and day with no year (``07-01``): where a plan year starts."""

VersionId = Annotated[str, BeforeValidator(_version)]
"""A version label; YAML's ``2026.1`` float becomes the text ``"2026.1"``."""


class FileModel(BaseModel):
    """Base for every model read from an analyst's file: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Effective(FileModel):
    """An inclusive date range; ``to`` absent means open-ended."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    from_: dt.date = Field(alias="from")
    to: dt.date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Effective:
        if self.to is not None and self.to < self.from_:
            raise ValueError(f"effective range ends ({self.to}) before it starts ({self.from_})")
        return self

    def covers(self, day: dt.date) -> bool:
        """Whether ``day`` falls inside the range."""
        return self.from_ <= day and (self.to is None or day <= self.to)

    def overlaps(self, other: Effective) -> bool:
        """Whether two ranges share at least one day."""
        self_end = self.to or dt.date.max
        other_end = other.to or dt.date.max
        return self.from_ <= other_end and other.from_ <= self_end
