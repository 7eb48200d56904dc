"""``encode``: a transmission model to D.0 bytes, requests and responses alike.

A segment built in code is written canonically: fields in Implementation Guide order,
each count written from the length of its list, values without padding or leading
zeros (``DU142E``, ``E730000``), vendor fields from ``unknown`` last; headers are
padded to their fixed widths. Segments and transactions are written in the order of
their mappings.

Exact round trips: a decoded segment or header keeps the text it arrived as in its
``wire`` slot (a reference to a slice the parser made anyway, so decoding pays
nothing for it). The encoder writes that text back only if parsing it again gives
exactly the values the object now holds; otherwise it writes the canonical form. So
``encode(decode(b).transmission) == b`` for padded values, zero-filled amounts,
unusual field order and unknown fields, while any change made to a decoded segment
is written faithfully. The check costs one re-parse, and only for decoded segments.
"""

from __future__ import annotations

from typing import Any

from engine.ncpdp.dictionary import FIELDS, SEGMENTS, GroupDef, SegmentDef
from engine.ncpdp.errors import NcpdpBuildError
from engine.ncpdp.header import encode_header
from engine.ncpdp.model import Occurrence, Segment, Transmission
from engine.ncpdp.report import Report
from engine.ncpdp.segparse import parse_segment

__all__ = ["canonical_segment", "encode", "encode_segment"]

FS, GS, RS = "\x1c", "\x1d", "\x1e"
_CLEAN = bytes(range(0x20, 0x7F)) + b"\x1c"
_PREFIXES = ("", "\x02")


def encode(transmission: Transmission) -> bytes:
    """Write a transmission; raises ``NcpdpBuildError`` for a model D.0 cannot carry."""
    prefix, suffix = transmission.envelope
    if prefix not in _PREFIXES or suffix.strip("\x03\r\n"):
        raise NcpdpBuildError("envelope may hold only STX before and ETX, CR, LF after")
    request = transmission.is_request
    parts = [prefix, encode_header(transmission.header)]
    fresh: list[tuple[str, int]] = []
    _emit(transmission.segments, request, parts, fresh)
    for transaction in transmission.transactions:
        parts.append(GS)
        _emit(transaction.segments, request, parts, fresh)
    parts.append(suffix)
    _check(fresh)
    try:
        return "".join(parts).encode("latin-1")
    except UnicodeEncodeError:
        raise NcpdpBuildError("a value holds a character outside Latin-1") from None


def _emit(
    segments: dict[str, Segment], request: bool, parts: list[str], fresh: list[tuple[str, int]]
) -> None:
    for key, segment in segments.items():
        parts.append(RS + _segment_text(segment, key, request, fresh))


def encode_segment(segment: Segment, key: str | None = None, request: bool = True) -> str:
    """The text of one segment after its RS: its ``wire`` if still true, else canonical."""
    fresh: list[tuple[str, int]] = []
    text = _segment_text(segment, key, request, fresh)
    _check(fresh)
    return text


def canonical_segment(segment: Segment) -> str:
    """The segment in canonical form, ignoring ``wire``."""
    text, separators = _canonical(segment)
    _check([(text, separators)])
    return text


def _segment_text(
    segment: Segment, key: str | None, request: bool, fresh: list[tuple[str, int]]
) -> str:
    if key is not None and key != segment.id:
        raise NcpdpBuildError(f"segment AM{segment.id} is filed under the key {key!r}")
    wire = segment.wire
    if wire is not None and RS not in wire and GS not in wire:
        again = parse_segment(wire, 0, None, request, Report())
        if (
            again is not None
            and again.id == segment.id
            and again.fields == segment.fields
            and again.repeats == segment.repeats
            and again.unknown == segment.unknown
        ):
            return wire
    canonical = _canonical(segment)
    fresh.append(canonical)
    return canonical[0]


def _check(fresh: list[tuple[str, int]]) -> None:
    """Check canonical segments at once for separators or control characters in values.

    The field separators counted must be exactly those the encoder wrote.
    """
    if not fresh:
        return
    text = "".join(item[0] for item in fresh)
    if text.count(FS) == sum(item[1] for item in fresh) and _printable(text):
        return
    for text, separators in fresh:
        if text.count(FS) != separators or not _printable(text):
            raise NcpdpBuildError(
                f"segment {text[1:5]}: a value holds a separator or a non-printable character"
            )


def _printable(text: str) -> bool:
    return text.isascii() and not text.encode("ascii").translate(None, _CLEAN)


def _canonical(segment: Segment) -> tuple[str, int]:
    """The canonical text of a segment and the number of field separators it holds."""
    definition = SEGMENTS.get(segment.id)
    if definition is not None and not segment.repeats and not segment.unknown:
        fields, formatters = segment.fields, definition.formatters
        out = ["\x1cAM" + definition.id]
        try:
            for fid in sorted(fields, key=definition.rank.__getitem__):
                out.append(fid + formatters[fid](fields[fid]))
        except (KeyError, NcpdpBuildError):
            pass
        else:
            return FS.join(out), len(out)
    sid = segment.id
    if not (isinstance(sid, str) and len(sid) == 2 and sid.isascii() and sid.isalnum()):
        raise NcpdpBuildError(f"segment id {sid!r} is not 2 letters or digits")
    out = ["", "AM" + sid]
    if definition is not None:
        _fields(definition, segment, out)
    elif segment.fields or segment.repeats:
        raise NcpdpBuildError(f"segment AM{sid} is not in the dictionary: use unknown")
    for fid, raw in segment.unknown:
        if not (isinstance(fid, str) and isinstance(raw, str)):
            raise NcpdpBuildError(f"segment AM{sid}: unknown fields must be (str, str) pairs")
        out.append(fid + raw)
    return FS.join(out), len(out) - 1


def _fields(definition: SegmentDef, segment: Segment, out: list[str]) -> None:
    fields, repeats = segment.fields, segment.repeats
    keys = list(fields)
    if repeats:
        keys.extend(key for key in repeats if key not in fields)
    rank = definition.rank
    try:
        keys.sort(key=rank.__getitem__)
    except KeyError:
        stray = next(fid for fid in keys if fid not in rank)
        raise NcpdpBuildError(_misplaced(definition.id, stray)) from None
    formatters, groups = definition.formatters, definition.groups
    for fid in keys:
        group = groups.get(fid)
        if group is None:
            try:
                out.append(fid + formatters[fid](fields[fid]))
            except NcpdpBuildError as exc:
                raise NcpdpBuildError(_where(definition.id, fid, exc)) from None
        else:
            _group(definition.id, group, repeats.get(fid, []), fields.get(fid), out)


def _group(sid: str, group: GroupDef, occurrences: Any, declared: Any, out: list[str]) -> None:
    key = group.key
    if not isinstance(occurrences, list):
        raise NcpdpBuildError(f"segment AM{sid} group {key}: expected a list of occurrences")
    if group.led:
        if declared is not None:
            raise NcpdpBuildError(f"segment AM{sid}: counter {key} belongs in each occurrence")
    else:
        if declared is not None and declared != len(occurrences):
            raise NcpdpBuildError(
                f"segment AM{sid}: count {key} is {declared!r} but {len(occurrences)} occur"
            )
        if not occurrences:
            return
        out.append(key + _format(sid, key, len(occurrences)))
    for index, occurrence in enumerate(occurrences, 1):
        if not isinstance(occurrence, dict):
            raise NcpdpBuildError(f"segment AM{sid} group {key}: occurrence {index} is not a dict")
        _occurrence(sid, group, index, occurrence, out)


def _occurrence(
    sid: str, group: GroupDef, index: int, occurrence: Occurrence, out: list[str]
) -> None:
    if group.led:
        out.append(group.key + _format(sid, group.key, occurrence.get(group.key, index)))
    rank = group.rank
    try:
        keys = sorted(occurrence, key=rank.__getitem__)
    except KeyError:
        stray = next(fid for fid in occurrence if fid not in rank)
        raise NcpdpBuildError(_misplaced(sid, stray, group.key)) from None
    for fid in keys:
        nested = group.groups.get(fid)
        if nested is not None:
            _group(sid, nested, occurrence[fid], None, out)
        elif fid != group.key or not group.led:
            out.append(fid + _format(sid, fid, occurrence[fid]))


def _format(sid: str, fid: str, value: Any) -> str:
    try:
        return FIELDS[fid].format_value(value)
    except NcpdpBuildError as exc:
        raise NcpdpBuildError(_where(sid, fid, exc)) from None


def _where(sid: str, fid: str, exc: Exception) -> str:
    return f"segment AM{sid} field {FIELDS[fid].label}: {exc}"


def _misplaced(sid: str, fid: str, group: str | None = None) -> str:
    inside = f" group {group}" if group else ""
    home = FIELDS.get(fid)
    what = home.label if home is not None else f"field id {fid!r}"
    return f"segment AM{sid}{inside}: {what} does not belong here (vendor fields go in unknown)"
