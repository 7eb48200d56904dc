"""Where a problem sits in a source file, and the error that carries every problem.

Analysts fix files by line number, so every problem found while loading a plan or
rule file becomes a :class:`SourceIssue` pinned to a :class:`SourceRef`, and one
:class:`SourceFileError` carries all of them: a file with five mistakes should
take one edit-and-reload cycle, not five.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["DocPath", "LocatedError", "PathPart", "SourceFileError", "SourceIssue", "SourceRef"]

PathPart = str | int
"""One step into a loaded document: a mapping key or a sequence index."""

DocPath = tuple[PathPart, ...]
"""The address of an entry in a loaded document, from its root."""


@dataclass(frozen=True, slots=True)
class SourceRef:
    """A position in a source file, 1-based like editors show it."""

    path: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class SourceIssue:
    """One problem at one position; ``str()`` is the ``path:line:column: message`` line."""

    ref: SourceRef
    message: str

    def __str__(self) -> str:
        return f"{self.ref}: {self.message}"


class SourceFileError(ValueError):
    """A file that must not be loaded, with every issue found in it, in file order."""

    def __init__(self, issues: Sequence[SourceIssue]) -> None:
        if not issues:
            raise ValueError("SourceFileError needs at least one issue")
        self.issues: list[SourceIssue] = sorted(
            issues, key=lambda issue: (issue.ref.path, issue.ref.line, issue.ref.column)
        )
        super().__init__("\n".join(str(issue) for issue in self.issues))


class LocatedError(ValueError):
    """A domain check inside a pydantic validator that knows which entry is wrong.

    A model validator sees the whole model, so pydantic can only place its error at
    the model itself; raising this instead names the offending entry by its path
    relative to the model being validated (``("deductible", "individual")``), and
    :func:`engine.sourcefile.validate` turns that into the entry's line.
    """

    def __init__(self, path: Sequence[PathPart], message: str) -> None:
        self.path: tuple[PathPart, ...] = tuple(path)
        self.message = message
        super().__init__(message)
