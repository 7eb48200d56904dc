"""Parsing one segment's fields, repeating groups included.

Two paths give the same result. The fast path takes segments whose fields are all
plain, known, unpadded, well-formed and unrepeated (nearly every request segment): one
precompiled regular expression per segment checks them all, one loop splits them,
and only numbers and dates are converted (through memoising parsers).
Anything else — a repeating group, an unknown or lower-case id, padding, a bad value,
a non-printable character — goes through the careful path, which walks the fields one
by one with their byte offsets and reports every problem.

Repeating groups are read with a stack of open groups: a field that does not belong to
the innermost open group closes it; the group's leader (its first field, or its
counter) or a field already present in the current occurrence starts a new
occurrence; a member met outside its group opens the group (reported: its count is
missing). Counts are checked against the occurrences found once the segment ends.
Outside groups the order of fields does not matter.
"""

from __future__ import annotations

from typing import Any

from engine.ncpdp.dictionary import FIELDS, SEGMENTS, GroupDef, SegmentDef
from engine.ncpdp.model import Occurrence, Segment
from engine.ncpdp.rejects import RejectCode
from engine.ncpdp.report import Report

__all__ = ["parse_segment"]

FS = "\x1c"


def parse_segment(
    text: str,
    offset: int,
    transaction: int | None,
    request: bool,
    report: Report,
) -> Segment | None:
    """Parse the text of one segment (what follows its RS); ``offset`` is the RS's.

    Returns ``None`` when the segment id is unusable.
    """
    parts = text.split(FS)
    definition = _BY_HEAD.get(parts[1]) if len(parts) > 1 and not parts[0] else None
    if definition is None or definition.request is not request:
        return _unusual(text, parts, offset, transaction, request, report)
    if definition.pattern.fullmatch(text) is not None:
        fields = {}
        for part in parts[2:]:
            fields[part[:2]] = part[2:]
        if len(fields) == len(parts) - 2:
            converted, parsers = definition.converted, definition.parsers
            try:
                for fid in converted.intersection(fields) if converted else ():
                    fields[fid] = parsers[fid](fields[fid])
            except ValueError:
                pass
            else:
                return Segment(definition.id, fields, {}, [], text)
    segment = _Careful(definition, offset, transaction, report).run(parts)
    segment.wire = text
    return segment


_BY_HEAD = {"AM" + sid: definition for sid, definition in SEGMENTS.items()}


def _unusual(
    text: str,
    parts: list[str],
    offset: int,
    transaction: int | None,
    request: bool,
    report: Report,
) -> Segment | None:
    """A segment with a malformed, lower-case, unknown or misplaced id."""
    head = parts[1] if len(parts) > 1 else ""
    if parts[0] or len(head) != 4 or not head.isascii() or head[:2].upper() != "AM":
        report.issue(
            RejectCode.MI_SEGMENT_IDENTIFICATION,
            "segment does not begin with a field separator and a 2-character AM field",
            offset,
            transaction=transaction,
        )
        return None
    sid = head[2:].upper()
    if not sid.isalnum():
        report.issue(
            RejectCode.MI_SEGMENT_IDENTIFICATION,
            "segment id is not 2 letters or digits",
            offset,
            transaction=transaction,
        )
        return None
    if head != "AM" + sid:
        report.notice(
            f"lower-case segment identification read as AM{sid}",
            offset + 2,
            segment=sid,
            transaction=transaction,
        )
    definition = SEGMENTS.get(sid)
    if definition is None:
        if not all(part.isascii() and part.isprintable() for part in parts[2:]):
            report.issue(
                RejectCode.MI_SEGMENT_IDENTIFICATION,
                f"segment AM{sid} holds a character that is not printable ASCII",
                offset,
                segment=sid,
                transaction=transaction,
            )
        report.notice(
            f"segment AM{sid} is not a D.0 segment; its fields are kept unread",
            offset,
            segment=sid,
            transaction=transaction,
        )
        return Segment(sid, {}, {}, [(part[:2], part[2:]) for part in parts[2:]], text)
    if definition.request is not request:
        side = "request" if request else "response"
        report.issue(
            RejectCode.MI_SEGMENT_IDENTIFICATION,
            f"segment AM{sid} ({definition.name}) does not belong in a {side}",
            offset,
            segment=sid,
            transaction=transaction,
        )
    segment = _Careful(definition, offset, transaction, report).run(parts)
    segment.wire = text
    return segment


class _Frame:
    """An open repeating group: its definition, occurrences and current occurrence."""

    __slots__ = ("current", "group", "occurrences")

    def __init__(self, group: GroupDef, occurrences: list[Occurrence]) -> None:
        self.group = group
        self.occurrences = occurrences
        self.current: Occurrence | None = None


class _Careful:
    """The field-by-field walk over one segment, with offsets and issues."""

    def __init__(
        self, definition: SegmentDef, offset: int, transaction: int | None, report: Report
    ) -> None:
        self.definition = definition
        self.offset = offset
        self.transaction = transaction
        self.report = report
        self.segment = Segment(definition.id, {}, {}, [])
        self.stack: list[_Frame] = []
        self.declared: list[tuple[str, list[Occurrence], int, int]] = []

    def issue(self, reject: RejectCode | None, message: str, offset: int, fid: str | None) -> None:
        """Report a problem in this segment; a field without a code gets the fallback."""
        occurrence = len(self.stack[-1].occurrences) if self.stack else None
        self.report.issue(
            reject or self.definition.reject or self.fallback,
            message,
            offset,
            segment=self.definition.id,
            field=fid,
            transaction=self.transaction,
            occurrence=occurrence or None,
        )

    @property
    def fallback(self) -> RejectCode:
        """Claim Not Processed for requests, Host Response Error for responses."""
        if self.definition.request:
            return RejectCode.CLAIM_NOT_PROCESSED
        return RejectCode.HOST_RESPONSE_ERROR

    def run(self, parts: list[str]) -> Segment:
        """Walk the fields and check the counts."""
        position = self.offset + 2 + len(parts[1])
        for part in parts[2:]:
            position += 1
            self.field(part, position)
            position += len(part)
        for fid, occurrences, count, where in self.declared:
            if len(occurrences) != count:
                definition = FIELDS[fid]
                self.report.issue(
                    definition.count_reject or definition.reject or self.fallback,
                    f"{definition.label} says {count} but {len(occurrences)} follow",
                    where,
                    segment=self.definition.id,
                    field=fid,
                    transaction=self.transaction,
                )
        return self.segment

    def field(self, part: str, offset: int) -> None:
        """Place one field: resolve its id, then its group, then its value."""
        fid, raw = part[:2], part[2:]
        known = self.definition.known
        if fid not in known and fid.isascii() and fid.upper() in known:
            self.report.notice(
                f"lower-case field id {fid} read as {fid.upper()}",
                offset,
                segment=self.definition.id,
                field=fid.upper(),
                transaction=self.transaction,
            )
            fid = fid.upper()
        if len(fid) < 2 or not (part.isascii() and part.isprintable()):
            definition = FIELDS.get(fid) if fid in known else None
            what = "a 2-character field id" if len(fid) < 2 else "printable ASCII"
            self.issue(
                definition.reject if definition else None,
                f"field is not {what}",
                offset,
                fid if definition else None,
            )
            self.segment.unknown.append((part[:2], raw))
        elif fid not in known:
            self.unknown(fid, raw, offset)
        else:
            self.place(fid, raw, offset)

    def unknown(self, fid: str, raw: str, offset: int) -> None:
        """Keep a field this segment does not define, with a notice."""
        definition = FIELDS.get(fid.upper())
        if definition is not None and definition.deleted:
            message = f"{definition.label} was deleted from D.0; kept unread"
        else:
            message = f"field id {fid} is not part of segment {self.definition.id}; kept unread"
        self.report.notice(
            message, offset, segment=self.definition.id, field=fid, transaction=self.transaction
        )
        self.segment.unknown.append((fid, raw))

    def place(self, fid: str, raw: str, offset: int) -> None:
        """Find the context of a known field and store it there."""
        stack = self.stack
        while stack and fid not in stack[-1].group.ids:
            stack.pop()
        while True:
            if stack:
                frame = stack[-1]
                group = frame.group
                current = frame.current
                if current is None or fid == group.leader or fid in current:
                    current = frame.current = {}
                    frame.occurrences.append(current)
                    if group.led and fid != group.leader:
                        self.issue(
                            FIELDS[group.key].reject,
                            f"occurrence does not begin with its counter {group.key}",
                            offset,
                            fid,
                        )
                plain, groups, owner = group.plain, group.groups, group.owner
                values: dict[str, Any] = current
                lists: dict[str, Any] = current
            else:
                definition = self.definition
                plain, groups, owner = definition.plain, definition.groups, definition.owner
                values = self.segment.fields
                lists = self.segment.repeats
            if fid in plain:
                self.store(fid, raw, offset, values, top=not stack)
                return
            target = groups.get(fid) or owner[fid]
            occurrences = lists.get(target.key)
            if occurrences is None:
                occurrences = lists[target.key] = []
                if not target.led and fid != target.key:
                    self.issue(
                        FIELDS[target.key].reject,
                        f"{FIELDS[fid].label} appears without its count {target.key}",
                        offset,
                        fid,
                    )
            if fid == target.key and not target.led:
                self.count(fid, raw, offset, occurrences)
                stack.append(_Frame(target, occurrences))
                return
            stack.append(_Frame(target, occurrences))

    def count(self, fid: str, raw: str, offset: int, occurrences: list[Occurrence]) -> None:
        """Read a count field and remember it for the check at the end."""
        definition = FIELDS[fid]
        if any(item[1] is occurrences for item in self.declared):
            self.issue(definition.reject, f"{definition.label} repeated", offset, fid)
        try:
            count = definition.parse(raw)
        except ValueError as exc:
            self.issue(definition.reject, f"{definition.label}: {exc}", offset, fid)
            self.segment.unknown.append((fid, raw))
            return
        self.declared.append((fid, occurrences, int(count), offset))

    def store(self, fid: str, raw: str, offset: int, values: dict[str, Any], *, top: bool) -> None:
        """Convert a value and store it, or keep the raw text and report why not."""
        definition = FIELDS[fid]
        if top and fid in values:
            self.issue(definition.reject, f"{definition.label} repeated", offset, fid)
            self.segment.unknown.append((fid, raw))
            return
        try:
            values[fid] = definition.parse(raw)
        except ValueError as exc:
            self.issue(definition.reject, f"{definition.label}: {exc}", offset, fid)
            self.segment.unknown.append((fid, raw))
