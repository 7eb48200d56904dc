"""Properties over generated and mutated input: decode never raises, issues are well
formed, valid transmissions round-trip exactly, and both parser paths agree."""

from __future__ import annotations

import string
from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from engine.ncpdp import (
    FIELDS,
    SEGMENTS,
    Decoded,
    RejectCode,
    Segment,
    Transaction,
    Transmission,
    decode,
    encode,
)
from engine.ncpdp.dictionary import GroupDef, SegmentDef
from engine.ncpdp.encode import canonical_segment
from engine.ncpdp.report import Report
from engine.ncpdp.segparse import _Careful, parse_segment

from .samples import DATA, SAMPLES, request_header, response_header

FS, GS, RS = "\x1c", "\x1d", "\x1e"
FILES = [(DATA / name).read_bytes() for name in sorted(SAMPLES)]
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(decoded: Decoded, data: bytes) -> None:
    """What must hold for the answer to any input."""
    assert isinstance(decoded, Decoded)
    transmission = decoded.transmission
    if transmission is None:
        assert decoded.issues
    groups = len(transmission.transactions) if transmission else data.count(GS.encode())
    for issue in decoded.issues:
        assert isinstance(issue.reject, RejectCode)
        assert issue.message
        assert not issue.message.startswith("internal codec error")
        assert issue.offset is None or 0 <= issue.offset <= len(data)
        assert issue.transaction is None or 1 <= issue.transaction <= max(groups, 1)
        assert issue.occurrence is None or issue.occurrence >= 1
    for notice in decoded.notices:
        assert notice.offset is None or 0 <= notice.offset <= len(data)
    if decoded.ok:
        assert transmission is not None
        assert encode(transmission) == data


@SETTINGS
@given(st.binary(max_size=400))
def test_random_bytes(data: bytes) -> None:
    _check(decode(data), data)


TOKENS = [FS, GS, RS, "AM", "07", "04", "21", "11", "05", "08", "D7", "D5", "NX", "DK", "FA"]
TOKENS += ["FB", "4C", "HB", "DV", "7E", "E4", "ZZ", "30", "1", "{", "}", "A", "J", " ", "\x03"]
TOKENS += ["é", "\x00", "20260302", "9" * 25]


@SETTINGS
@given(
    st.sampled_from(
        [
            "610999D0B1RXADJHMO  1011234567893     20260302RXADJ01   ",
            "D0B11A011234567893     20260302",
        ]
    ),
    st.lists(st.sampled_from(TOKENS), max_size=60),
)
def test_plausible_garbage_after_a_header(header: str, tokens: list[str]) -> None:
    data = (header + "".join(tokens)).encode("latin-1")
    _check(decode(data), data)


def test_every_truncation_of_every_sample() -> None:
    for data in FILES:
        for end in range(len(data)):
            _check(decode(data[:end]), data[:end])


MUTATIONS = ["insert", "replace", "delete", "double", "overpunch", "count", "high"]


@SETTINGS
@given(
    st.sampled_from(FILES),
    st.sampled_from(MUTATIONS),
    st.integers(0, 10**6),
    st.binary(min_size=1, max_size=3),
)
def test_mutated_samples(data: bytes, mutation: str, where: int, extra: bytes) -> None:
    at = where % len(data)
    if mutation == "insert":
        mutated = data[:at] + extra + data[at:]
    elif mutation == "replace":
        mutated = data[:at] + extra[:1] + data[at + 1 :]
    elif mutation == "delete":
        mutated = data[:at] + data[at + 1 :]
    elif mutation == "double":
        separators = [i for i, byte in enumerate(data) if byte in (0x1C, 0x1D, 0x1E)]
        at = separators[where % len(separators)]
        mutated = data[: at + 1] + data[at : at + 1] + data[at + 1 :]
    elif mutation == "overpunch":
        signs = [i for i, byte in enumerate(data) if chr(byte) in "{}ABCDEFGHIJKLMNOPQR" and i > 56]
        assume(signs)
        at = signs[where % len(signs)]
        mutated = data[:at] + extra[:1] + data[at + 1 :]
    elif mutation == "count":
        position = 20 if data[6:8] == b"D0" else 4
        mutated = data[:position] + bytes([extra[0] % 10 + 48]) + data[position + 1 :]
    else:
        mutated = data[:at] + bytes([128 + extra[0] % 128]) + data[at + 1 :]
    decoded = decode(mutated)
    _check(decoded, mutated)
    if mutation == "high" and at >= 56:
        assert not decoded.ok


@settings(max_examples=20, deadline=None)
@given(st.binary(min_size=1, max_size=40).map(lambda chunk: chunk * (70_000 // len(chunk) + 1)))
def test_huge_inputs(data: bytes) -> None:
    decoded = decode(data)
    _check(decoded, data)
    assert not decoded.ok


def test_a_huge_valid_looking_input_is_refused_quickly() -> None:
    data = FILES[0] + (RS + FS + "AM99" + FS + "ZZ" + "X" * 1000).encode() * 10_000
    decoded = decode(data)
    assert [issue.reject.code for issue in decoded.issues] == ["85"]


# Generated models.

TEXT = string.ascii_uppercase + string.digits + " -/.+*"


def _value(fid: str) -> st.SearchStrategy[Any]:
    field = FIELDS[fid]
    n, places = field.max_length, field.decimals
    if field.kind == "text":
        return st.text(TEXT, max_size=n).map(lambda text: text.rstrip(" "))
    if field.kind == "digits":
        return st.text(string.digits, min_size=1, max_size=n)
    if field.kind == "int":
        return st.integers(0, 10**n - 1)
    if field.kind == "decimal":
        return st.integers(0, 10**n - 1).map(lambda units: Decimal(units).scaleb(-places))
    if field.kind == "cents":
        return st.integers(-(10**n - 1), 10**n - 1)
    if field.kind == "signed_decimal":
        return st.integers(-(10**n - 1), 10**n - 1).map(
            lambda units: Decimal(units).scaleb(-places)
        )
    return st.dates(date(1900, 1, 1), date(2099, 12, 31))


@st.composite
def _occurrence(draw: st.DrawFn, group: GroupDef, index: int) -> dict[str, Any]:
    occurrence: dict[str, Any] = {group.leader: draw(_value(group.leader))}
    if group.led:
        occurrence[group.key] = index
    for fid in group.order[1:]:
        if draw(st.booleans()):
            nested = group.groups.get(fid)
            occurrence[fid] = draw(_occurrences(nested)) if nested else draw(_value(fid))
    return occurrence


@st.composite
def _occurrences(draw: st.DrawFn, group: GroupDef) -> list[dict[str, Any]]:
    size = draw(st.integers(1, 3))
    return [draw(_occurrence(group, index)) for index in range(1, size + 1)]


@st.composite
def _segment(draw: st.DrawFn, definition: SegmentDef, groups: bool = True) -> Segment:
    plain = sorted(definition.plain)
    chosen = draw(st.lists(st.sampled_from(plain), unique=True, max_size=12)) if plain else []
    fields = {fid: draw(_value(fid)) for fid in chosen}
    repeats = {}
    if groups:
        for key, group in definition.groups.items():
            if draw(st.booleans()):
                repeats[key] = draw(_occurrences(group))
    return Segment(definition.id, fields, repeats)


@st.composite
def _transmission(draw: st.DrawFn) -> Transmission:
    request = draw(st.booleans())
    side = [definition for definition in SEGMENTS.values() if definition.request == request]
    count = draw(st.integers(1, 4))
    groups = []
    for _ in range(count):
        chosen = draw(
            st.lists(st.sampled_from(side), min_size=1, max_size=4, unique_by=lambda d: d.id)
        )
        groups.append(Transaction({d.id: draw(_segment(d)) for d in chosen}))
    header = request_header("B1", count) if request else response_header("B1", count)
    return Transmission(header, {}, groups)


@SETTINGS
@given(_transmission())
def test_build_parse_build(transmission: Transmission) -> None:
    data = encode(transmission)
    decoded = decode(data)
    assert decoded.ok, decoded.issues
    assert decoded.transmission == transmission
    assert encode(decoded.transmission) == data


@st.composite
def _unusual(draw: st.DrawFn) -> tuple[Segment, str]:
    """A plain-field segment written the way some senders do: shuffled, padded, with
    vendor fields."""
    definition = draw(st.sampled_from([d for d in SEGMENTS.values() if d.plain]))
    segment = draw(_segment(definition, groups=False))
    parts = canonical_segment(segment).split(FS)[2:]
    written = []
    for part in parts:
        fid, text = part[:2], part[2:]
        field = FIELDS[fid]
        room = field.max_length - len(text)
        if field.kind == "text":
            text += " " * draw(st.integers(0, 5))
        elif field.kind != "digits" and room > 0 and draw(st.booleans()):
            text = "0" * draw(st.integers(0, room)) + text
        written.append(fid + text)
    vendor = draw(st.lists(st.sampled_from(["**X", "*A1", "#CABC", "!F", "&B2"]), max_size=3))
    written = draw(st.permutations(written + vendor))
    return segment, FS + "AM" + definition.id + "".join(FS + part for part in written)


@SETTINGS
@given(_unusual())
def test_decoding_keeps_what_it_needs_to_give_the_original_bytes_back(
    case: tuple[Segment, str],
) -> None:
    segment, text = case
    definition = SEGMENTS[segment.id]
    header = request_header("B1", 1) if definition.request else response_header("B1", 1)
    head = encode(Transmission(header, {}, [])).decode()
    data = (head + GS + RS + text).encode()
    decoded = decode(data)
    assert decoded.ok, decoded.issues
    assert decoded.transmission is not None
    assert decoded.transmission.transactions[0].segments[segment.id].fields == segment.fields
    assert encode(decoded.transmission) == data


@SETTINGS
@given(
    st.sampled_from(sorted(SEGMENTS)),
    st.lists(
        st.tuples(
            st.sampled_from([*sorted(FIELDS), "c2", "ZZ", "", "d"]),
            st.text(TEXT + "{}JKé\x00", max_size=12),
        ),
        max_size=10,
    ),
)
def test_the_fast_path_agrees_with_the_careful_path(
    sid: str, fields: list[tuple[str, str]]
) -> None:
    definition = SEGMENTS[sid]
    text = FS + "AM" + sid + "".join(FS + fid + value for fid, value in fields)
    report = Report()
    segment = parse_segment(text, 0, 1, definition.request, report)
    careful_report = Report()
    careful = _Careful(definition, 0, 1, careful_report).run(text.split(FS))
    assert segment is not None
    assert (segment.fields, segment.repeats, segment.unknown) == (
        careful.fields,
        careful.repeats,
        careful.unknown,
    )
    assert report.issues == careful_report.issues
    assert report.notices == careful_report.notices
