"""The fixed-width headers: 56 bytes for a request, 31 for a response.

Header fields have no separators; every field is filled to its width (A/N with
trailing spaces). Decoding trims the padding and checks each field, reporting a bad
value with the field's reject code while still returning the header, so that the
engine can echo it in its reject response. The header is unusable (``None``) only when
the bytes end, or a separator appears, before its last field.

A transmission is a request when version ``D0`` sits at offset 6 (after the BIN) and a
response when it sits at offset 0; for other versions the position of the first
separator decides (56 or more: request, 31: response), as Mirth and cosyte do.
"""

from __future__ import annotations

import re
from datetime import date

from engine.ncpdp.codes import SINGLE_TRANSACTION_CODES, TRANSACTION_CODES
from engine.ncpdp.dictionary import FIELDS
from engine.ncpdp.errors import NcpdpBuildError
from engine.ncpdp.model import RequestHeader, ResponseHeader
from engine.ncpdp.rejects import RejectCode
from engine.ncpdp.report import Report
from engine.ncpdp.values import formatter_for, parse_date

__all__ = [
    "REQUEST_HEADER_LENGTH",
    "RESPONSE_HEADER_LENGTH",
    "canonical_header",
    "encode_header",
    "looks_like_request",
    "parse_header",
]

REQUEST_HEADER_LENGTH = 56
RESPONSE_HEADER_LENGTH = 31

_REQUEST = (
    ("A1", 0, 6),
    ("A2", 6, 2),
    ("A3", 8, 2),
    ("A4", 10, 10),
    ("A9", 20, 1),
    ("B2", 21, 2),
    ("B1", 23, 15),
    ("D1", 38, 8),
    ("AK", 46, 10),
)
_RESPONSE = (
    ("A2", 0, 2),
    ("A3", 2, 2),
    ("A9", 4, 1),
    ("F1", 5, 1),
    ("B2", 6, 2),
    ("B1", 8, 15),
    ("D1", 23, 8),
)
_SEPARATORS = ("\x1c", "\x1d", "\x1e")
_COUNTS = {"1": 1, "2": 2, "3": 3, "4": 4}
_CODES = "|".join(TRANSACTION_CODES)
_FORMAT_DATE = formatter_for("date", 8, 0)
_REQUEST_PATTERN = re.compile(
    f"([0-9]{{6}})D0({_CODES})([ -~]{{10}})([1-4])"
    f"([ -~]{{2}})([ -~]{{15}})([0-9]{{8}})([ -~]{{10}})"
)
_RESPONSE_PATTERN = re.compile(f"D0({_CODES})([1-4])([AR])([ -~]{{2}})([ -~]{{15}})([0-9]{{8}})")


def looks_like_request(text: str) -> bool:
    """Decide request or response from the start of a transmission."""
    if text[6:8] == "D0" and text[:2] != "D0":
        return True
    if text[6:8].upper() == "D0" and text[:2].upper() != "D0":
        return True
    if text[:2].upper() == "D0":
        return False
    cut = min((i for i in map(text.find, _SEPARATORS) if i >= 0), default=len(text))
    return cut != RESPONSE_HEADER_LENGTH


def _reject_for(fid: str, request: bool) -> RejectCode:
    reject = FIELDS[fid].reject
    if reject is not None:
        return reject
    return RejectCode.CLAIM_NOT_PROCESSED if request else RejectCode.HOST_RESPONSE_ERROR


def parse_header(
    text: str, request: bool, base: int, report: Report
) -> RequestHeader | ResponseHeader | None:
    """Read the header at the start of ``text``; ``base`` is its offset in the input."""
    header = _fast(text, request)
    if header is not None:
        return header
    layout = _REQUEST if request else _RESPONSE
    length = REQUEST_HEADER_LENGTH if request else RESPONSE_HEADER_LENGTH
    region = text[:length]
    cut = min((i for i in map(region.find, _SEPARATORS) if i >= 0), default=len(region))
    if cut < length:
        fid = next(fid for fid, start, width in layout if start + width > cut)
        what = "a separator" if cut < len(region) else "the end of the data"
        report.issue(
            _reject_for(fid, request),
            f"header cut short by {what} in {FIELDS[fid].label}",
            base + cut,
            field=fid,
        )
        return None
    raw = {fid: region[start : start + width] for fid, start, width in layout}
    if not (region.isascii() and region.isprintable()):
        for fid, start, _ in layout:
            if not (raw[fid].isascii() and raw[fid].isprintable()):
                report.issue(
                    _reject_for(fid, request),
                    f"non-printable or non-ASCII character in {FIELDS[fid].label}",
                    base + start,
                    field=fid,
                )
    starts = {fid: base + start for fid, start, _ in layout}
    version, code = raw["A2"].upper(), raw["A3"].upper()
    if version != "D0":
        reject = RejectCode.VERSION_RELEASE_VALUE_NOT_SUPPORTED
        if not version.isalnum():
            reject = RejectCode.MI_VERSION_RELEASE_NUMBER
        report.issue(reject, "version is not D0", starts["A2"], field="A2")
    if code not in TRANSACTION_CODES:
        report.issue(
            RejectCode.MI_TRANSACTION_CODE, "not a transaction code", starts["A3"], field="A3"
        )
    count = _COUNTS.get(raw["A9"])
    if count is None:
        report.issue(
            RejectCode.MI_TRANSACTION_COUNT,
            "transaction count is not 1 to 4",
            starts["A9"],
            field="A9",
        )
        count = int(raw["A9"]) if raw["A9"].isdecimal() and raw["A9"].isascii() else 0
    elif count > 1 and code in SINGLE_TRANSACTION_CODES:
        report.issue(
            RejectCode.INVALID_TRANSACTION_COUNT_FOR_THIS_TRANSACTION_CODE,
            f"transaction code {code} allows one transaction",
            starts["A9"],
            field="A9",
        )
    for fid in ("B2", "B1"):
        if not raw[fid].strip(" "):
            report.issue(
                _reject_for(fid, request), f"{FIELDS[fid].label} is blank", starts[fid], field=fid
            )
    try:
        service_date: date | None = parse_date(raw["D1"])
    except ValueError as exc:
        report.issue(RejectCode.MI_DATE_OF_SERVICE, str(exc), starts["D1"], field="D1")
        service_date = None
    if not request:
        if raw["F1"] not in ("A", "R"):
            report.issue(
                RejectCode.HOST_RESPONSE_ERROR,
                "header status is not A or R",
                starts["F1"],
                field="F1",
            )
        return ResponseHeader(
            version,
            code,
            count,
            raw["F1"].rstrip(" "),
            raw["B2"].rstrip(" "),
            raw["B1"].rstrip(" "),
            service_date,
            region,
        )
    if not (raw["A1"].isdecimal() and raw["A1"].isascii()):
        report.issue(RejectCode.MI_BIN_NUMBER, "BIN is not 6 digits", starts["A1"], field="A1")
    return RequestHeader(
        raw["A1"].rstrip(" "),
        version,
        code,
        raw["A4"].rstrip(" "),
        count,
        raw["B2"].rstrip(" "),
        raw["B1"].rstrip(" "),
        service_date,
        raw["AK"].rstrip(" "),
        region,
    )


def _fast(text: str, request: bool) -> RequestHeader | ResponseHeader | None:
    """A well-formed header in one regular expression, or ``None`` for the careful path."""
    match = (_REQUEST_PATTERN if request else _RESPONSE_PATTERN).match(text)
    if match is None:
        return None
    if request:
        bin_, code, pcn, count, qualifier, provider, day, software = match.groups()
    else:
        code, count, status, qualifier, provider, day = match.groups()
    qualifier, provider = qualifier.rstrip(" "), provider.rstrip(" ")
    if not qualifier or not provider or (count != "1" and code in SINGLE_TRANSACTION_CODES):
        return None
    try:
        service_date = parse_date(day)
    except ValueError:
        return None
    if request:
        return RequestHeader(
            bin_,
            "D0",
            code,
            pcn.rstrip(" "),
            _COUNTS[count],
            qualifier,
            provider,
            service_date,
            software.rstrip(" "),
            text[:REQUEST_HEADER_LENGTH],
        )
    return ResponseHeader(
        "D0",
        code,
        _COUNTS[count],
        status,
        qualifier,
        provider,
        service_date,
        text[:RESPONSE_HEADER_LENGTH],
    )


def _pad(fid: str, value: object, width: int) -> str:
    if type(value) is not str:
        raise NcpdpBuildError(f"header {FIELDS[fid].label}: expected a str")
    if len(value) > width or not (value.isascii() and value.isprintable()):
        raise NcpdpBuildError(
            f"header {FIELDS[fid].label}: needs at most {width} printable ASCII characters"
        )
    return value.ljust(width)


def canonical_header(header: RequestHeader | ResponseHeader) -> str:
    """The header padded to its fixed widths, ignoring ``wire``."""
    count = header.transaction_count
    if type(count) is not int or not 0 <= count <= 9:
        raise NcpdpBuildError("header 109-A9 Transaction Count: expected an int from 0 to 9")
    if type(header.date_of_service) is not date:
        raise NcpdpBuildError("header 401-D1 Date of Service: expected a date")
    middle = (
        _pad("B2", header.service_provider_id_qualifier, 2)
        + _pad("B1", header.service_provider_id, 15)
        + _FORMAT_DATE(header.date_of_service)
    )
    start = _pad("A2", header.version, 2) + _pad("A3", header.transaction_code, 2)
    if isinstance(header, ResponseHeader):
        return start + str(count) + _pad("F1", header.status, 1) + middle
    bin_ = _pad("A1", header.bin, 6)
    if not bin_.isdecimal():
        raise NcpdpBuildError("header 101-A1 BIN Number: expected 6 digits")
    pcn = _pad("A4", header.pcn, 10)
    return bin_ + start + pcn + str(count) + middle + _pad("AK", header.software_vendor_id, 10)


def encode_header(header: RequestHeader | ResponseHeader) -> str:
    """The header's text: its ``wire`` while that still reads as this header, else canonical."""
    wire = header.wire
    if wire is not None:
        request = isinstance(header, RequestHeader)
        if parse_header(wire, request, 0, Report()) == header:
            return wire
    return canonical_header(header)
