"""Reading X12 835 files through pyx12, with every problem located.

pyx12 walks the file against the 005010X221A1 implementation guide's map, so a
segment out of place, a bad element or a wrong SE count is found by the standard
rather than by our guesses. Its errors carry the segment ordinal; we add the
file line and keep the element. pyx12 logs what it finds, segment text included
— which can name a patient — so its logger is silenced while we read, and our
messages show values only for segments that carry no patient data.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import StringIO
from typing import Any

import pyx12.error_handler
import pyx12.error_visitor
import pyx12.params
import pyx12.x12context
from pyx12.errors import X12Error

from engine.reconcile.errors import FileIssue

__all__ = ["Segment", "read_segments"]

_VALUES_SHOWN = frozenset(
    {"ISA", "GS", "ST", "BPR", "TRN", "DTM", "LX", "TS3", "CLP", "CAS", "SVC", "PLB", "SE", "GE"}
)
"""Segments whose values may appear in messages: none of them identifies a patient."""
_SEGMENT_TEXT = re.compile(r"^Segment .* not found\.\s*(?:Started at (\S+))?")


@dataclass(frozen=True, slots=True)
class Segment:
    """One segment: its id, the implementation guide loop it sits in, and where it is."""

    id: str
    loop: str
    position: int
    line: int
    data: Any

    def value(self, ref: str) -> str | None:
        """An element (``"04"``) or component (``"01-2"``); None when empty."""
        text = self.data.get_value(ref)
        return text if text else None


class _Collector(pyx12.error_visitor.error_visitor):  # type: ignore[misc]
    """Gathers pyx12's error tree into located issues."""

    def __init__(self, lines: list[int], ids: dict[int, str]) -> None:
        self.lines = lines
        self.ids = ids
        self.issues: list[FileIssue] = []
        self._seg: Any = None

    def _line(self, position: int | None) -> int:
        if position is None or not self.lines:
            return 1
        return self.lines[min(max(position, 1), len(self.lines)) - 1]

    def _envelope(self, node: Any) -> None:
        position = node.get_cur_line()
        for _, text in node.errors:
            self.issues.append(
                FileIssue(self._line(position), text, self.ids.get(position, node.id), position)
            )

    def visit_root_pre(self, errh: Any) -> None:
        """Nothing to do before the tree."""

    def visit_root_post(self, errh: Any) -> None:
        """Nothing to do after the tree."""

    def visit_isa_pre(self, err_isa: Any) -> None:
        """Interchange errors."""
        self._envelope(err_isa)

    def visit_isa_post(self, err_isa: Any) -> None:
        """Nothing after an interchange."""

    def visit_gs_pre(self, err_gs: Any) -> None:
        """Functional group errors."""
        self._envelope(err_gs)

    def visit_gs_post(self, err_gs: Any) -> None:
        """Nothing after a group."""

    def visit_st_pre(self, err_st: Any) -> None:
        """Transaction set errors (a wrong SE count, a missing segment)."""
        self._envelope(err_st)

    def visit_st_post(self, err_st: Any) -> None:
        """Nothing after a transaction set."""

    def visit_seg(self, err_seg: Any) -> None:
        """A segment out of place or unknown."""
        self._seg = err_seg
        for _, text, _value in err_seg.errors:
            message = text
            found = _SEGMENT_TEXT.match(text)
            if found:
                message = f"segment {err_seg.seg_id} is not expected here"
                if found.group(1):
                    message += f" (after {found.group(1)})"
            self.issues.append(
                FileIssue(self._line(err_seg.cur_line), message, err_seg.seg_id, err_seg.cur_line)
            )

    def visit_ele(self, err_ele: Any) -> None:
        """A bad element: its value is shown only where it cannot identify a patient."""
        seg = self._seg
        seg_id = seg.seg_id if seg is not None else None
        element = f"{seg_id}{err_ele.ele_pos:02d}" if seg_id else None
        for _, text, _value in err_ele.errors:
            shown = text if seg_id in _VALUES_SHOWN else f"{err_ele.name} is not valid"
            self.issues.append(
                FileIssue(
                    self._line(seg.cur_line if seg else None),
                    shown,
                    seg_id,
                    seg.cur_line if seg else None,
                    element,
                )
            )


def _segment_lines(text: str) -> list[int]:
    """The file line on which each segment starts (index 0 is ISA)."""
    if len(text) < 106 or not text.startswith("ISA"):
        return []
    terminator = text[105]
    lines: list[int] = []
    line = 1
    for piece in text.split(terminator):
        stripped = piece.lstrip("\r\n")
        line += piece[: len(piece) - len(stripped)].count("\n")
        if stripped.strip():
            lines.append(line)
        line += stripped.count("\n")
    return lines


@contextmanager
def _quiet() -> Iterator[None]:
    logger = logging.getLogger("pyx12")
    before = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        logger.setLevel(before)


def read_segments(text: str) -> tuple[list[Segment], list[FileIssue]]:
    """Every segment of an X12 file with its loop, and every problem pyx12 found."""
    lines = _segment_lines(text)
    if not lines:
        return [], [FileIssue(1, "not an X12 interchange: it must start with an ISA segment")]
    errh = pyx12.error_handler.err_handler()
    segments: list[Segment] = []
    issues: list[FileIssue] = []
    with _quiet():
        try:
            reader = pyx12.x12context.X12ContextReader(pyx12.params.params(), errh, StringIO(text))
            for node in reader.iter_segments():
                position = node.cur_line_number or 0
                parent = node.x12_map_node.parent if node.x12_map_node is not None else None
                line = lines[min(max(position, 1), len(lines)) - 1]
                segments.append(
                    Segment(node.id, parent.id if parent else "", position, line, node.seg_data)
                )
        except X12Error as exc:
            position = errh.get_cur_line() or 1
            issues.append(FileIssue(lines[min(position, len(lines)) - 1], str(exc)))
        except (ValueError, IndexError, AttributeError, KeyError) as exc:
            issues.append(FileIssue(lines[-1], f"pyx12 could not read the file: {exc}"))
        collector = _Collector(lines, {seg.position: seg.id for seg in segments})
        errh.accept(collector)
    issues.extend(collector.issues)
    return segments, sorted(issues, key=lambda issue: issue.line)
