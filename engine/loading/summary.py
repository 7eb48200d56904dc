"""What a batch load reports: accepted, duplicate and rejected rows, with reasons.

A load reads its file row by row; a bad row is rejected with its row number and
the reason, and the load goes on. ``Progress`` lets a shell draw a progress bar
without the loaders knowing about terminals.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["LoadSummary", "Progress", "RowProblem"]

Progress = Callable[[int], None]
"""Called with the number of rows just finished."""


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A rejected row: its number in the file (the header is row 1), its id, and why."""

    row: int
    reason: str
    id: str | None = None


@dataclass(slots=True)
class LoadSummary:
    """Counts by outcome, and every rejection."""

    accepted: int = 0
    duplicate: int = 0
    rejected: list[RowProblem] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Rows read."""
        return self.accepted + self.duplicate + len(self.rejected)

    def reject(self, row: int, reason: str, id_: str | None = None) -> None:
        """Count a rejected row."""
        self.rejected.append(RowProblem(row, reason, id_))
