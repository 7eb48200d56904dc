"""NCPDP Batch 1.2: the file wrapper around D.0 transmissions (reference §1.5).

A batch file is a header record, one detail record per transmission and a trailer,
each record between STX (0x02) and ETX (0x03)::

    00  transmission type(1) sender id(24) batch number(7) creation date CCYYMMDD(8)
        creation time HHMM(4) file type(1) version/release(2) receiver id(24)
    G1  880-K5 transaction reference number(10), then one whole D.0 transmission
    99  batch number(7) record count(10) message(35)

The record count counts the header and the trailer too (EdiFabric's sample: four
details, count 6). This module only unwraps and wraps: the transmissions stay bytes
for ``engine.ncpdp.decode``, so there is one D.0 parser.

The Batch Implementation Guide itself was not available; the layout comes from
EdiFabric's sample files and higher-pixels/ncpdp. Where those two differ, both
forms are read: batch number zero-filled (``2017086``) or left-justified with
spaces (``1213   ``); version ``12`` or ``11``; file type ``P`` or ``T`` (whether
that means production/test is unverified, so it is kept and not interpreted);
records back to back or separated by line feeds. Transmission type ``T`` was seen
on a request file and ``R`` on a response file, in one sample only: it is kept,
and callers tell requests from responses by the D.0 headers in the details.

A broken wrapper — no header or trailer, a trailer whose batch number or record
count disagrees, framing that does not close — refuses the whole file
(``NcpdpBatchError``): its records cannot be trusted to be all there. A detail
record that is merely bad (unknown record type, too short) is a ``BatchProblem``
with its record number, and the rest of the file is still read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from engine.ncpdp.errors import NcpdpBatchError

__all__ = [
    "BatchDetail",
    "BatchFile",
    "BatchHeader",
    "BatchProblem",
    "read_batch",
    "write_batch",
]

STX, ETX = 0x02, 0x03
_BETWEEN = frozenset(b"\r\n")
_HEADER_WIDTH = 73
_HEADER_MINIMUM = 49
"""Through the version: only the receiver id may lose its trailing spaces."""
_TRAILER_WIDTH = 54
_TRAILER_MINIMUM = 19
"""Through the record count: only the message may lose its trailing spaces."""
_REFERENCE_WIDTH = 10
TRANSMISSION_TYPES = ("T", "R")
FILE_TYPES = ("P", "T")
VERSIONS = ("12", "11")


@dataclass(frozen=True, slots=True)
class BatchHeader:
    """The ``00`` record: who sent the batch to whom, its number and when it was made."""

    transmission_type: str
    sender_id: str
    batch_number: int
    created: dt.datetime
    file_type: str = "P"
    version: str = "12"
    receiver_id: str = ""


@dataclass(frozen=True, slots=True)
class BatchDetail:
    """A ``G1`` record: its place in the file (header is record 1), 880-K5, the transmission."""

    record: int
    reference: str
    transmission: bytes


@dataclass(frozen=True, slots=True)
class BatchProblem:
    """A record that carries no usable transmission; reported, the others still read."""

    record: int
    reason: str


@dataclass(frozen=True, slots=True)
class BatchFile:
    """A batch whose header and trailer agree: its details and its bad records."""

    header: BatchHeader
    details: tuple[BatchDetail, ...]
    problems: tuple[BatchProblem, ...]
    message: str = ""


def _records(data: bytes) -> list[bytes]:
    """The text between each STX and its ETX; only CR/LF may sit between records."""
    records: list[bytes] = []
    position, size = 0, len(data)
    while position < size:
        byte = data[position]
        if byte in _BETWEEN:
            position += 1
            continue
        number = len(records) + 1
        if byte != STX:
            raise NcpdpBatchError(
                f"byte {position}: record {number} does not start with STX (0x02):"
                " not an NCPDP batch file, or a damaged one"
            )
        end = data.find(ETX, position + 1)
        inner = data[position + 1 : end]
        if end < 0 or STX in inner:
            raise NcpdpBatchError(
                f"byte {position}: record {number} has no ETX (0x03): the file is cut or damaged"
            )
        records.append(inner)
        position = end + 1
    return records


def _text(record: bytes, number: int, what: str) -> str:
    text = record.decode("latin-1")
    if not (text.isascii() and text.isprintable()):
        raise NcpdpBatchError(f"record {number}: the {what} holds a non-printable character")
    return text


def _batch_number(text: str, number: int) -> int:
    digits = text.strip(" ")
    if not (digits.isdecimal() and digits.isascii()):
        raise NcpdpBatchError(f"record {number}: the batch number is not a number")
    return int(digits)


def _one_of(value: str, allowed: tuple[str, ...], name: str) -> str:
    if value not in allowed:
        raise NcpdpBatchError(f"the header's {name} is not {' or '.join(allowed)}")
    return value


def _header(record: bytes) -> BatchHeader:
    if record[:2] != b"00":
        raise NcpdpBatchError("record 1 is not a batch header (00): not an NCPDP batch file")
    text = _text(record, 1, "header")
    if not _HEADER_MINIMUM <= len(text.rstrip(" ")) <= _HEADER_WIDTH:
        raise NcpdpBatchError(f"record 1: the header is not {_HEADER_WIDTH} characters long")
    text = text.ljust(_HEADER_WIDTH)
    stamp = text[34:46]
    try:
        if not (stamp.isdecimal() and stamp.isascii()):
            raise ValueError(stamp)
        created = dt.datetime.strptime(stamp, "%Y%m%d%H%M")
    except ValueError:
        raise NcpdpBatchError("record 1: the creation date and time are not CCYYMMDDHHMM") from None
    return BatchHeader(
        transmission_type=_one_of(text[2], TRANSMISSION_TYPES, "transmission type"),
        sender_id=text[3:27].rstrip(" "),
        batch_number=_batch_number(text[27:34], 1),
        created=created,
        file_type=_one_of(text[46], FILE_TYPES, "file type"),
        version=_one_of(text[47:49], VERSIONS, "version/release"),
        receiver_id=text[49:73].rstrip(" "),
    )


def _trailer(record: bytes, number: int, header: BatchHeader) -> str:
    """Check the trailer against the header and the records counted; its message."""
    text = _text(record, number, "trailer")
    if not _TRAILER_MINIMUM <= len(text.rstrip(" ")) <= _TRAILER_WIDTH:
        raise NcpdpBatchError(f"record {number}: the trailer is not {_TRAILER_WIDTH} characters")
    batch = _batch_number(text[2:9], number)
    if batch != header.batch_number:
        raise NcpdpBatchError(
            f"record {number}: the trailer closes batch {batch} but the header opens batch"
            f" {header.batch_number}"
        )
    count = text[9:19]
    if not (count.isdecimal() and count.isascii()):
        raise NcpdpBatchError(f"record {number}: the trailer's record count is not a number")
    if int(count) != number:
        raise NcpdpBatchError(
            f"record {number}: the trailer counts {int(count)} records but the file has {number}"
            " (header and trailer included): records are missing or extra"
        )
    return text[19:].rstrip(" ")


def _detail(record: bytes, number: int) -> BatchDetail | BatchProblem:
    kind = record[:2]
    if kind in (b"00", b"99"):
        what = "header" if kind == b"00" else "trailer"
        raise NcpdpBatchError(
            f"record {number} is a {what} ({kind.decode()}) inside the batch: one batch per file"
        )
    if kind != b"G1":
        return BatchProblem(number, "not a detail record (G1)")
    reference = record[2 : 2 + _REFERENCE_WIDTH]
    transmission = record[2 + _REFERENCE_WIDTH :]
    if len(reference) < _REFERENCE_WIDTH or not transmission:
        return BatchProblem(number, "detail record too short to hold a transmission")
    if not (reference.isascii() and reference.decode("ascii").isprintable()):
        return BatchProblem(number, "880-K5 transaction reference number is not printable")
    return BatchDetail(number, reference.decode("ascii").strip(" "), transmission)


def read_batch(data: bytes) -> BatchFile:
    """Unwrap a batch file; ``NcpdpBatchError`` when its header and trailer do not hold."""
    records = _records(data)
    if not records:
        raise NcpdpBatchError("the file holds no records: not an NCPDP batch file")
    header = _header(records[0])
    last = len(records)
    if last < 2 or records[-1][:2] != b"99":
        raise NcpdpBatchError("the file does not end with a trailer (99): it is incomplete")
    message = _trailer(records[-1], last, header)
    details: list[BatchDetail] = []
    problems: list[BatchProblem] = []
    for number, record in enumerate(records[1:-1], start=2):
        found = _detail(record, number)
        if isinstance(found, BatchDetail):
            details.append(found)
        else:
            problems.append(found)
    return BatchFile(header, tuple(details), tuple(problems), message)


def _field(value: str, width: int, name: str) -> str:
    if len(value) > width or not (value.isascii() and value.isprintable()):
        raise NcpdpBatchError(f"{name}: at most {width} printable ASCII characters")
    return value.ljust(width)


def write_batch(
    header: BatchHeader, details: Iterable[tuple[str, bytes]], message: str = ""
) -> bytes:
    """A batch file of ``(880-K5, transmission)`` details, one record per line.

    The batch number is written zero-filled and the record count includes the
    header and the trailer.
    """
    if not 0 <= header.batch_number <= 9_999_999:
        raise NcpdpBatchError("batch number: 0 to 9999999")
    _one_of(header.transmission_type, TRANSMISSION_TYPES, "transmission type")
    _one_of(header.file_type, FILE_TYPES, "file type")
    _one_of(header.version, VERSIONS, "version/release")
    batch = f"{header.batch_number:07d}"
    opening = (
        "00"
        + header.transmission_type
        + _field(header.sender_id, 24, "sender id")
        + batch
        + header.created.strftime("%Y%m%d%H%M")
        + header.file_type
        + header.version
        + _field(header.receiver_id, 24, "receiver id")
    )
    out = [_framed(opening.encode("ascii"))]
    for reference, transmission in details:
        if STX in transmission or ETX in transmission:
            raise NcpdpBatchError("a transmission in a batch carries no STX/ETX of its own")
        prefix = "G1" + _field(reference, _REFERENCE_WIDTH, "880-K5")
        out.append(_framed(prefix.encode("ascii") + transmission))
    trailer = "99" + batch + f"{len(out) + 1:010d}" + _field(message, 35, "message")
    out.append(_framed(trailer.encode("ascii")))
    return b"".join(out)


def _framed(record: bytes) -> bytes:
    return bytes([STX]) + record + bytes([ETX]) + b"\n"
