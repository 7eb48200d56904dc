"""The field and segment dictionary: package data read by the parser and the builder.

``fields.csv`` has one row per field id: number, name, DD format, maximum length,
implied decimals, signed, the kind of typed value (see ``engine.ncpdp.values``), the
"M/I" reject code that answers a missing or invalid value (from the ECL's "field
possibly in error" column; where it names no M/I code the most specific code there is:
202-B2 and 201-B1 -> 05, 307-C7 -> 12, 354-NX -> SG, 478-H7 -> R1; otherwise empty),
the more specific code for a count that does not match its repetitions, and whether D.0
deleted the field (1E, H5: kept for their names; their formats are not verified).

``segments.csv`` has one row per segment id: name, request or response side, level
(before or after the first group separator), a reject code for fields that have none of
their own, and the layout in Implementation Guide order. In a layout ``NX[ DK ]`` is a
group counted by NX whose occurrences hold DK, and ``7E{ E4 E5 }`` is a group whose
occurrences each begin with the counter 7E. Groups nest.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from importlib import resources

from engine.ncpdp.rejects import RejectCode
from engine.ncpdp.values import KINDS, Formatter, Parser, formatter_for, parser_for

__all__ = ["FIELDS", "SEGMENTS", "FieldDef", "GroupDef", "SegmentDef"]


@dataclass(frozen=True, slots=True)
class FieldDef:
    """One field of the dictionary, with its parser and formatter."""

    id: str
    number: str
    name: str
    format: str
    max_length: int
    decimals: int
    signed: bool
    kind: str
    reject: RejectCode | None
    count_reject: RejectCode | None
    deleted: bool
    parse: Parser = field(repr=False, compare=False)
    format_value: Formatter = field(repr=False, compare=False)

    @property
    def label(self) -> str:
        """The field as NCPDP writes it with its name: ``405-D5 Days Supply``."""
        return f"{self.number}-{self.id} {self.name}"


@dataclass(frozen=True, slots=True)
class GroupDef:
    """A repeating group: counted by ``key`` (``led=False``) or led by counter ``key``.

    ``plain`` are the occurrence's own fields (including a leading counter), ``groups``
    the groups nested in each occurrence, ``ids`` every id that can appear inside an
    occurrence, ``owner`` maps an id inside a nested group to that group, ``rank``
    orders the occurrence's items as the Implementation Guide does, and ``leader`` is
    the id that starts a new occurrence.
    """

    key: str
    led: bool
    order: tuple[str, ...]
    plain: frozenset[str]
    groups: dict[str, GroupDef]
    owner: dict[str, GroupDef]
    ids: frozenset[str]
    rank: dict[str, int]

    @property
    def leader(self) -> str:
        """The field that opens each occurrence."""
        return self.order[0]


@dataclass(frozen=True, slots=True)
class SegmentDef:
    """A segment of the dictionary: top-level layout and precomputed lookups.

    ``owner`` maps an id that belongs inside some top-level group to that group;
    ``known`` is every id the segment can hold at any depth; ``rank`` orders every
    top-level field and group key as the Implementation Guide does. For the parser's
    fast path, ``pattern`` matches a segment made only of well-formed plain fields (in
    any order) and ``converted`` names the plain fields whose text needs converting;
    ``parsers`` and ``formatters`` hold each plain field's parser and formatter.
    """

    id: str
    name: str
    request: bool
    level: str
    reject: RejectCode | None
    order: tuple[str, ...]
    plain: frozenset[str]
    groups: dict[str, GroupDef]
    owner: dict[str, GroupDef]
    known: frozenset[str]
    rank: dict[str, int]
    pattern: re.Pattern[str] = field(repr=False, compare=False)
    converted: frozenset[str]
    parsers: dict[str, Parser] = field(repr=False, compare=False)
    formatters: dict[str, Formatter] = field(repr=False, compare=False)


def _read(name: str) -> list[dict[str, str]]:
    text = resources.files("engine.ncpdp").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _reject(code: str) -> RejectCode | None:
    return RejectCode(code) if code else None


def _load_fields(rows: list[dict[str, str]]) -> dict[str, FieldDef]:
    fields: dict[str, FieldDef] = {}
    for row in rows:
        kind = row["kind"]
        if kind not in KINDS:
            raise ValueError(f"fields.csv: field {row['id']} has unknown kind {kind!r}")
        max_length, decimals = int(row["max_length"]), int(row["decimals"])
        fields[row["id"]] = FieldDef(
            id=row["id"],
            number=row["number"],
            name=row["name"],
            format=row["format"],
            max_length=max_length,
            decimals=decimals,
            signed=row["signed"] == "yes",
            kind=kind,
            reject=_reject(row["reject"]),
            count_reject=_reject(row["count_reject"]),
            deleted=row["deleted"] == "yes",
            parse=parser_for(kind, max_length, decimals),
            format_value=formatter_for(kind, max_length, decimals),
        )
    return fields


_TOKEN = re.compile(r"([0-9A-Z]{2})([\[{]?)|([\]}])|(\S+)")


def _layout(text: str, segment: str) -> tuple[tuple[str, ...], dict[str, GroupDef]]:
    """Parse a layout into (top-level order, top-level groups)."""
    stack: list[tuple[str, bool, list[str], dict[str, GroupDef]]] = [("", False, [], {})]
    for match in _TOKEN.finditer(text):
        fid, opener, closer, junk = match.groups()
        if junk:
            raise ValueError(f"segments.csv: segment {segment} layout has {junk!r}")
        if fid:
            stack[-1][2].append(fid)
            if opener:
                stack.append((fid, opener == "{", [fid] if opener == "{" else [], {}))
            continue
        key, led, order, groups = stack.pop()
        if not stack or led != (closer == "}"):
            raise ValueError(f"segments.csv: segment {segment} layout is unbalanced")
        plain = frozenset(item for item in order if item not in groups)
        owner = {fid: group for group in groups.values() for fid in group.ids}
        inner = plain.union(groups, owner)
        rank = {fid: index for index, fid in enumerate(order)}
        stack[-1][3][key] = GroupDef(key, led, tuple(order), plain, groups, owner, inner, rank)
    if len(stack) != 1:
        raise ValueError(f"segments.csv: segment {segment} layout is unbalanced")
    return tuple(stack[0][2]), stack[0][3]


_AS_IS = ("text", "digits")
_VALUE_PATTERNS = {
    "text": "(?:[ -~]{{0,{short}}}[!-~])?",
    "digits": "[0-9]{{1,{length}}}",
    "int": "[0-9]{{1,{length}}}",
    "decimal": "[0-9]{{1,{length}}}",
    "cents": "[0-9]{{0,{short}}}[{{}}A-R]",
    "signed_decimal": "[0-9]{{0,{short}}}[{{}}A-R]",
    "date": "[0-9]{{8}}",
}


def _pattern(sid: str, plain: frozenset[str], fields: dict[str, FieldDef]) -> re.Pattern[str]:
    """A regular expression for a segment of unpadded, well-formed plain fields.

    Field ids are arranged as a trie (first character, then second) so that matching
    a field costs a couple of comparisons rather than one per field of the segment.
    Text must not end in a space (padding goes to the careful path, which trims it).
    """
    by_first: dict[str, list[str]] = {}
    for fid in sorted(plain):
        by_first.setdefault(fid[0], []).append(fid)
    branches = []
    for first, fids in by_first.items():
        choices = []
        for fid in fids:
            definition = fields[fid]
            value = _VALUE_PATTERNS[definition.kind].format(
                length=definition.max_length, short=definition.max_length - 1
            )
            choices.append(re.escape(fid[1]) + value)
        branches.append(re.escape(first) + "(?:" + "|".join(choices) + ")")
    body = "(?:\x1c(?:" + "|".join(branches) + "))*" if branches else ""
    return re.compile(re.escape("\x1cAM" + sid) + body)


def _load_segments(
    rows: list[dict[str, str]], fields: dict[str, FieldDef]
) -> dict[str, SegmentDef]:
    segments: dict[str, SegmentDef] = {}
    for row in rows:
        sid = row["id"]
        order, groups = _layout(row["layout"], sid)
        owner = {fid: group for group in groups.values() for fid in group.ids}
        plain = frozenset(order).difference(groups, owner)
        missing = sorted(fid for fid in plain.union(groups, owner) if fid not in fields)
        if missing:
            raise ValueError(f"segments.csv: segment {sid} uses unknown fields {missing}")
        segments[sid] = SegmentDef(
            id=sid,
            name=row["name"],
            request=row["side"] == "request",
            level=row["level"],
            reject=_reject(row["reject"]),
            order=order,
            plain=plain,
            groups=groups,
            owner=owner,
            known=plain.union(groups, owner),
            rank={fid: index for index, fid in enumerate(order)},
            pattern=_pattern(sid, plain, fields),
            converted=frozenset(fid for fid in plain if fields[fid].kind not in _AS_IS),
            parsers={fid: fields[fid].parse for fid in plain},
            formatters={fid: fields[fid].format_value for fid in plain},
        )
    return segments


FIELDS: dict[str, FieldDef] = _load_fields(_read("fields.csv"))
"""Every field id of the dictionary, header fields included."""

SEGMENTS: dict[str, SegmentDef] = _load_segments(_read("segments.csv"), FIELDS)
"""Every D.0 segment id, request and response."""
