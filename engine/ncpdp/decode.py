"""``decode``: bytes in, a typed transmission and its problems out — never an exception.

Framing (Telecommunication Standard D.0, reference §1)::

    [STX] header [RS segment]* (GS (RS segment)+)* [ETX]

The header is fixed width (56 bytes for a request, 31 for a response). Segments before
the first group separator belong to the transmission; each GS starts a transaction.
With no transaction-level segment there is no GS at all (E1), so zero transactions are
accepted when the header count is 1; otherwise the number of GS groups must equal the
header's 109-A9 (reject 1U), which must be 1 to 4 (A9) and 1 for E1 and P1-P4 (PB).

What is tolerated and kept: an STX/ETX envelope and trailing CR/LF (``envelope``),
space-padded values, fields in any order outside repeating groups, lower-case ids,
unknown segments and fields and the fields D.0 deleted (1E, H5) — each of the last
three with a ``CodecNotice``. Everything else that is wrong is a ``CodecIssue`` with the
reject code that answers it. Inputs above ``max_size`` bytes (default
``MAX_TRANSMISSION_BYTES``) are not parsed past the header: a real transmission is a
few kilobytes at most, and the guard keeps a hostile input from costing more.
"""

from __future__ import annotations

from engine.ncpdp.header import (
    REQUEST_HEADER_LENGTH,
    RESPONSE_HEADER_LENGTH,
    looks_like_request,
    parse_header,
)
from engine.ncpdp.model import CodecIssue, Decoded, Segment, Transaction, Transmission
from engine.ncpdp.rejects import RejectCode
from engine.ncpdp.report import Report
from engine.ncpdp.segparse import parse_segment

__all__ = ["MAX_TRANSMISSION_BYTES", "decode"]

MAX_TRANSMISSION_BYTES = 65_536
"""The default size guard of ``decode``."""

GS = "\x1d"
RS = "\x1e"
_TRAILER = "\x03\r\n"
_NO_ENVELOPE = ("", "")


def decode(data: bytes, *, max_size: int = MAX_TRANSMISSION_BYTES) -> Decoded:
    """Decode one transmission, request or response; never raises."""
    try:
        return _decode(data, max_size)
    except Exception as exc:  # the promise above outranks any bug below
        issue = CodecIssue(
            RejectCode.HOST_PROCESSING_ERROR, f"internal codec error ({type(exc).__name__})"
        )
        return Decoded(None, (issue,))


def _decode(data: bytes, max_size: int) -> Decoded:
    if type(data) is not bytes:
        if not isinstance(data, bytes | bytearray | memoryview):
            issue = CodecIssue(RejectCode.HOST_PROCESSING_ERROR, "input is not bytes")
            return Decoded(None, (issue,))
        data = bytes(data)
    size = len(data)
    text = (data if size <= max_size else data[: REQUEST_HEADER_LENGTH + 1]).decode("latin-1")
    start, envelope = 0, _NO_ENVELOPE
    if text[:1] == "\x02" or text[-1:] in _TRAILER:
        start, end = int(text[:1] == "\x02"), len(text)
        while end > start and text[end - 1] in _TRAILER:
            end -= 1
        envelope, text = (text[:start], text[end:]), text[start:end]
    report = Report()
    request = looks_like_request(text)
    header = parse_header(text, request, start, report)
    if header is None:
        return Decoded(None, tuple(report.issues), tuple(report.notices))
    if size > max_size:
        report.issue(
            RejectCode.CLAIM_NOT_PROCESSED,
            f"transmission of {size} bytes exceeds the {max_size}-byte limit",
            max_size,
        )
        transmission = Transmission(header, {}, [], envelope)
        return Decoded(transmission, tuple(report.issues), tuple(report.notices))
    length = REQUEST_HEADER_LENGTH if request else RESPONSE_HEADER_LENGTH
    base = start + length
    groups = text[length:].split(GS)
    first = groups[0]
    if first and first[0] != RS:
        report.issue(
            RejectCode.MI_SEGMENT_IDENTIFICATION, "text after the header is not a segment", base
        )
        cut = first.find(RS)
        first, base = ("", base + len(first)) if cut < 0 else (first[cut:], base + cut)
    segments = _segments(first, base, None, request, report)
    transactions = []
    position = base + len(first)
    for number, part in enumerate(groups[1:], 1):
        if not part:
            report.issue(
                RejectCode.MI_SEGMENT_IDENTIFICATION,
                "transaction has no segments",
                position,
                transaction=number,
            )
        transactions.append(Transaction(_segments(part, position + 1, number, request, report)))
        position += len(part) + 1
    count = header.transaction_count
    if count != len(transactions) and 1 <= count <= 4 and (transactions or count != 1):
        report.issue(
            RejectCode.TRANSACTION_COUNT_DOES_NOT_MATCH_NUMBER_OF_TRANSACTIONS,
            f"header says {count} transactions but {len(transactions)} follow",
            start + (20 if request else 4),
            field="A9",
        )
    transmission = Transmission(header, segments, transactions, envelope)
    if report.issues or report.notices:
        return Decoded(transmission, tuple(report.issues), tuple(report.notices))
    return Decoded(transmission)


def _segments(
    part: str, offset: int, transaction: int | None, request: bool, report: Report
) -> dict[str, Segment]:
    """Parse the segments of one transaction (or of the transmission level)."""
    pieces = part.split(RS)
    if len(pieces) == 2 and not pieces[0] and pieces[1]:
        segment = parse_segment(pieces[1], offset, transaction, request, report)
        return {} if segment is None else {segment.id: segment}
    if pieces[0]:
        report.issue(
            RejectCode.MI_SEGMENT_IDENTIFICATION,
            "text before the first segment separator",
            offset,
            transaction=transaction,
        )
    found: dict[str, Segment] = {}
    position = offset + len(pieces[0])
    for piece in pieces[1:]:
        if not piece:
            report.issue(
                RejectCode.MI_SEGMENT_IDENTIFICATION,
                "empty segment",
                position,
                transaction=transaction,
            )
        else:
            segment = parse_segment(piece, position, transaction, request, report)
            if segment is not None:
                if segment.id in found:
                    report.issue(
                        RejectCode.MI_SEGMENT_IDENTIFICATION,
                        f"segment AM{segment.id} repeated in one transaction",
                        position,
                        segment=segment.id,
                        transaction=transaction,
                    )
                else:
                    found[segment.id] = segment
        position += len(piece) + 1
    return found
