"""A report: columns, sorted detail rows and control totals at every level.

Every CRAM21 report shares one organisation: detail sorted by prescription and
refill within store within billing method, with amount and count totals at each
control break and a grand total. ``lines`` produces exactly that sequence, so
the CSV and the PDF cannot disagree, and a test can check that the totals add up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from engine.money import cents_to_dollars

__all__ = ["Kind", "Line", "Report", "ReportColumn", "lines", "share"]


class Kind(StrEnum):
    """How a column is shown and whether it is totalled."""

    TEXT = "text"
    DATE = "date"
    COUNT = "count"
    MONEY = "money"
    PERCENT = "percent"
    NUMBER = "number"


@dataclass(frozen=True, slots=True)
class ReportColumn:
    """One column: its key in the rows, heading, kind; money and counts are totalled."""

    key: str
    title: str
    kind: Kind = Kind.TEXT
    total: bool | None = None

    @property
    def totalled(self) -> bool:
        """Money and count columns are totalled unless told otherwise."""
        return self.kind in (Kind.MONEY, Kind.COUNT) if self.total is None else self.total

    def show(self, value: Any) -> str:
        """The value as text: dollars for cents, ISO dates, ``12.34%``."""
        if value is None:
            return ""
        if self.kind == Kind.MONEY:
            return str(cents_to_dollars(int(value)))
        if self.kind == Kind.DATE and isinstance(value, dt.date):
            return value.isoformat()
        if self.kind == Kind.PERCENT:
            return f"{value}%"
        return str(value)


@dataclass(slots=True)
class Report:
    """A titled table; ``groups`` are the control levels, outermost first."""

    name: str
    title: str
    columns: Sequence[ReportColumn]
    rows: list[dict[str, Any]]
    groups: tuple[str, ...] = ("billing_method", "store")
    notes: list[str] = field(default_factory=list)
    ratio: tuple[str, str, str] | None = None
    """(percent column, numerator, denominator): recomputed on total lines."""


@dataclass(frozen=True, slots=True)
class Line:
    """A detail row, or a total of one control level (``level`` is None for the grand total)."""

    kind: str
    level: str | None
    label: str
    values: dict[str, Any]
    count: int
    key: Any = None
    """The control value a total line closes (a store id, a billing method)."""


def share(part: int | None, whole: int | None) -> Decimal | None:
    """``part`` as a percentage of ``whole``, to two decimals (display only)."""
    if not whole or part is None:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _total(
    report: Report, rows: list[dict[str, Any]], level: str | None, label: str, key: Any = None
) -> Line:
    values: dict[str, Any] = {}
    for column in report.columns:
        if column.totalled:
            values[column.key] = sum(int(row.get(column.key) or 0) for row in rows)
    if report.ratio is not None:
        key, part, whole = report.ratio
        values[key] = share(values.get(part), values.get(whole))
    return Line("total", level, label, values, len(rows), key)


def lines(report: Report) -> list[Line]:
    """Detail rows with a total line after each control break, then the grand total."""
    out: list[Line] = []
    depth = len(report.groups)
    open_rows: list[list[dict[str, Any]]] = [[] for _ in range(depth)]
    current: list[Any] = [object()] * depth

    def close(from_level: int) -> None:
        for level in range(depth - 1, from_level - 1, -1):
            if open_rows[level]:
                key = report.groups[level]
                label = f"total {key.replace('_', ' ')} {current[level]}"
                out.append(_total(report, open_rows[level], key, label, current[level]))
                open_rows[level] = []

    for row in report.rows:
        keys = [row.get(g) for g in report.groups]
        changed = next((i for i in range(depth) if keys[i] != current[i]), None)
        if changed is not None:
            close(changed)
            current[changed:] = keys[changed:]
        for level in range(depth):
            open_rows[level].append(row)
        out.append(Line("detail", None, "", row, 1))
    close(0)
    out.append(_total(report, report.rows, None, "grand total"))
    return out
