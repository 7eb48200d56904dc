"""Reading the large tables (formularies, prices, pharmacies) from CSV files.

Large tables are dictionaries, not rules: per-claim cost must not grow with the
number of NDCs. Analysts keep these tables in spreadsheets, so they arrive as CSV;
every bad cell is reported as file:line with the column, and all of them at once.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TypeVar

from engine.sourcefile import SourceFileError, SourceIssue, SourceRef

__all__ = ["TableReader", "parse_bool", "parse_decimal", "parse_int", "parse_ndc"]

T = TypeVar("T")

_TRUE = {"y", "yes", "true", "1"}
_FALSE = {"n", "no", "false", "0", ""}


def parse_bool(text: str) -> bool:
    """Y/N, yes/no, true/false, 1/0; blank is no."""
    lowered = text.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError(f"expected Y or N, got {text!r}")


def parse_int(text: str) -> int | None:
    """A whole number, or None for a blank cell."""
    stripped = text.strip()
    if not stripped:
        return None
    if not stripped.lstrip("-").isdigit():
        raise ValueError(f"expected a whole number, got {text!r}")
    return int(stripped)


def parse_decimal(text: str) -> Decimal | None:
    """An exact decimal number (unit prices carry fractions of a cent), or None."""
    stripped = text.strip().replace(",", "").removeprefix("$")
    if not stripped:
        return None
    try:
        value = Decimal(stripped)
    except InvalidOperation as exc:
        raise ValueError(f"expected a number, got {text!r}") from exc
    if not value.is_finite() or value < 0:
        raise ValueError(f"expected a non-negative number, got {text!r}")
    return value


def parse_ndc(text: str) -> str:
    """An 11-digit NDC; the hyphenated 5-4-2 form is accepted and normalised."""
    digits = text.strip().replace("-", "")
    if len(digits) != 11 or not digits.isdigit():
        raise ValueError(f"an NDC has 11 digits (5-4-2): got {text!r}")
    return digits


class TableReader:
    """Reads a CSV table row by row, collecting every bad cell as a located issue.

    Header names are matched case-insensitively with spaces and underscores
    treated alike, so public files (NADAC's "NADAC Per Unit") load as they come.
    """

    def __init__(
        self,
        path: Path,
        required: tuple[str, ...],
        optional: tuple[str, ...] = (),
        *,
        allow_extra: bool = False,
    ) -> None:
        self.path = path
        self.required = required
        self.optional = optional
        self.allow_extra = allow_extra
        self.issues: list[SourceIssue] = []

    def _ref(self, line: int, column: int = 1) -> SourceRef:
        return SourceRef(str(self.path), line, column)

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        """Yield (line number, row by normalised column name); header problems are fatal."""
        try:
            handle = self.path.open(newline="", encoding="utf-8-sig")
        except OSError as exc:
            raise SourceFileError([SourceIssue(self._ref(1), f"cannot read: {exc}")]) from exc
        with handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                raise SourceFileError([SourceIssue(self._ref(1), "the table is empty")])
            names = [_normalise(name) for name in header]
            missing = [name for name in self.required if name not in names]
            if missing:
                raise SourceFileError(
                    [SourceIssue(self._ref(1), f"missing column(s): {', '.join(missing)}")]
                )
            known = set(self.required) | set(self.optional)
            unknown = [header[i] for i, name in enumerate(names) if name not in known]
            if unknown and not self.allow_extra:
                self.issues.append(
                    SourceIssue(self._ref(1), f"unknown column(s): {', '.join(unknown)}")
                )
            for cells in reader:
                line = reader.line_num
                if not any(cell.strip() for cell in cells):
                    continue
                if len(cells) > len(names):
                    self.issues.append(
                        SourceIssue(self._ref(line), f"{len(cells)} cells, header has {len(names)}")
                    )
                    continue
                padded = cells + [""] * (len(names) - len(cells))
                yield line, dict(zip(names, padded, strict=True))

    def issue(self, line: int, message: str) -> SourceIssue:
        """A located issue for a whole row."""
        return SourceIssue(self._ref(line), message)

    def cell(self, line: int, row: dict[str, str], column: str, parse: Callable[[str], T]) -> T:
        """Parse one cell; on error record it and re-raise so the row is skipped."""
        try:
            return parse(row.get(column, ""))
        except ValueError as exc:
            self.issues.append(SourceIssue(self._ref(line), f"column {column}: {exc}"))
            raise

    def finish(self) -> None:
        """Raise every collected issue at once, if there were any."""
        if self.issues:
            raise SourceFileError(self.issues)


def _normalise(name: str) -> str:
    return "_".join(name.strip().lower().replace("_", " ").split())
