"""The errors reconciliation raises, under one root.

::

    ReconError
    ├── RemittanceFileError   a payment file that must not be loaded (every issue located)
    ├── ClaimFileError        a claim file that must not be loaded (batch wrapper broken)
    ├── AlreadyLoaded         the same file was loaded before (same digest)
    ├── ItemNotFound          no receivable with that id
    └── CorrectionRefused     a manual correction that would break an invariant

Bad rows are not errors: loads report them and go on. A file-level error stops
the load before anything is written, so nothing is ever half-loaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "AlreadyLoaded",
    "ClaimFileError",
    "CorrectionRefused",
    "FileIssue",
    "ItemNotFound",
    "ReconError",
    "RemittanceFileError",
]


class ReconError(Exception):
    """Root of reconciliation errors."""


@dataclass(frozen=True, slots=True)
class FileIssue:
    """One problem in a payment file: where (line, segment) and what."""

    line: int
    message: str
    segment: str | None = None
    position: int | None = None
    """The segment's ordinal in the file (ISA is 1): right even when a file is one line."""
    element: str | None = None

    def __str__(self) -> str:
        where = f"line {self.line}"
        if self.segment:
            where += f", segment {self.segment}"
            if self.position is not None:
                where += f" #{self.position}"
        if self.element:
            where += f", element {self.element}"
        return f"{where}: {self.message}"


class RemittanceFileError(ReconError):
    """A payment file with structural problems: nothing of it is loaded."""

    def __init__(self, source: str, issues: Sequence[FileIssue]) -> None:
        self.source = source
        self.issues = list(issues)
        lines = "\n".join(f"{source}: {issue}" for issue in self.issues)
        super().__init__(lines or f"{source}: not a payment file")


class ClaimFileError(ReconError):
    """A claim file refused whole: nothing of it is loaded, and the message names the file.

    Refused when a batch's header and trailer disagree (records may be missing) or
    when the file is the wrong side of the exchange (requests given as responses).
    """

    def __init__(self, source: str, message: str) -> None:
        self.source = source
        super().__init__(f"{source}: {message}")


class AlreadyLoaded(ReconError):
    """The identical file was loaded before; loading it again would double the payments."""


class ItemNotFound(ReconError):
    """No receivable has the given id."""


class CorrectionRefused(ReconError):
    """A correction names an unknown field or a value the field cannot hold."""
