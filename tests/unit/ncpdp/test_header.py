"""The fixed-width headers: detection, reading, problems and writing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from engine.ncpdp import NcpdpBuildError, RejectCode, RequestHeader, ResponseHeader, decode
from engine.ncpdp.codes import TRANSACTION_CODES
from engine.ncpdp.header import (
    canonical_header,
    encode_header,
    looks_like_request,
    parse_header,
)
from engine.ncpdp.report import Report

REQUEST = "610999D0B1RXADJHMO  1011234567893     20260302RXADJ01   "
RESPONSE = "D0B11A011234567893     20260302"


def _request_issues(header: str) -> list[tuple[str, str | None, int | None]]:
    report = Report()
    parse_header(header, True, 0, report)
    return [(issue.reject.code, issue.field, issue.offset) for issue in report.issues]


def test_detection() -> None:
    assert looks_like_request(REQUEST)
    assert not looks_like_request(RESPONSE)
    assert looks_like_request(REQUEST.replace("D0", "d0"))
    assert not looks_like_request(RESPONSE.replace("D0", "d0", 1))
    assert looks_like_request("6109995XB1" + REQUEST[10:] + "\x1e")
    assert not looks_like_request("5XB11A011234567893     20260302\x1e")
    assert looks_like_request("")


def test_request_header_read() -> None:
    report = Report()
    header = parse_header(REQUEST, True, 0, report)
    assert header == RequestHeader(
        "610999", "D0", "B1", "RXADJHMO", 1, "01", "1234567893", date(2026, 3, 2), "RXADJ01"
    )
    assert header is not None
    assert header.wire == REQUEST
    assert report.issues == []


def test_response_header_read() -> None:
    header = parse_header(RESPONSE, False, 0, Report())
    assert header == ResponseHeader("D0", "B1", 1, "A", "01", "1234567893", date(2026, 3, 2))


def test_blank_pcn_and_software_id_are_allowed() -> None:
    header = parse_header(REQUEST[:10] + " " * 10 + REQUEST[20:46] + " " * 10, True, 0, Report())
    assert header is not None
    assert (header.pcn, header.software_vendor_id) == ("", "")


@pytest.mark.parametrize("code", sorted(TRANSACTION_CODES))
def test_every_transaction_code_is_recognised(code: str) -> None:
    header = REQUEST[:8] + code + REQUEST[10:]
    assert _request_issues(header) == []


@pytest.mark.parametrize(
    ("start", "text", "expected"),
    [
        (0, "61X999", [("01", "A1", 0)]),
        (6, "51", [("1R", "A2", 6)]),
        (6, "D.", [("02", "A2", 6)]),
        (8, "ZZ", [("03", "A3", 8)]),
        (20, "5", [("A9", "A9", 20)]),
        (20, "0", [("A9", "A9", 20)]),
        (20, " ", [("A9", "A9", 20)]),
        (21, "  ", [("05", "B2", 21)]),
        (23, " " * 15, [("05", "B1", 23)]),
        (38, "20260230", [("15", "D1", 38)]),
        (38, "2026030X", [("15", "D1", 38)]),
    ],
)
def test_each_bad_request_field_has_its_reject(
    start: int, text: str, expected: list[tuple[str, str, int]]
) -> None:
    header = REQUEST[:start] + text + REQUEST[start + len(text) :]
    assert _request_issues(header) == expected


def test_single_transaction_codes_allow_one_transaction() -> None:
    for code in ("E1", "P1", "P2", "P3", "P4"):
        header = REQUEST[:8] + code + REQUEST[10:20] + "2" + REQUEST[21:]
        assert _request_issues(header) == [("PB", "A9", 20)]
    assert _request_issues(REQUEST[:20] + "4" + REQUEST[21:]) == []


def test_lower_case_version_and_code_are_read_upper() -> None:
    header = parse_header(REQUEST[:6] + "d0b1" + REQUEST[10:], True, 0, Report())
    assert header is not None
    assert (header.version, header.transaction_code) == ("D0", "B1")


def test_a_bad_header_still_gives_a_header_to_echo() -> None:
    report = Report()
    header = parse_header(REQUEST[:38] + "99999999" + REQUEST[46:], True, 0, report)
    assert header is not None
    assert header.date_of_service is None
    assert header.service_provider_id == "1234567893"


def test_bad_response_status() -> None:
    report = Report()
    parse_header(RESPONSE[:5] + "X" + RESPONSE[6:], False, 0, report)
    assert [(i.reject, i.field, i.offset) for i in report.issues] == [
        (RejectCode.HOST_RESPONSE_ERROR, "F1", 5)
    ]


@pytest.mark.parametrize(
    ("data", "field", "offset"),
    [
        (b"", "A1", 0),
        (b"6109", "A1", 4),
        (REQUEST[:30].encode(), "B1", 30),
        (REQUEST[:55].encode(), "AK", 55),
        (REQUEST[:40].encode() + b"\x1e\x1cAM07", "D1", 40),
        (RESPONSE[:20].encode(), "B1", 20),
    ],
)
def test_a_short_header_is_unusable(data: bytes, field: str, offset: int) -> None:
    decoded = decode(data)
    assert decoded.transmission is None
    assert [(issue.field, issue.offset) for issue in decoded.issues] == [(field, offset)]


def test_non_printable_characters_in_the_header() -> None:
    decoded = decode(REQUEST[:10].encode() + b"RX\x00DJHMO  " + REQUEST[20:].encode())
    assert [(i.reject.code, i.field, i.offset) for i in decoded.issues] == [("04", "A4", 10)]
    decoded = decode(
        REQUEST[:23].encode() + "12345678é3     ".encode("latin-1") + REQUEST[38:].encode()
    )
    assert [(i.reject.code, i.field) for i in decoded.issues] == [("05", "B1")]


def test_canonical_request_header_is_padded() -> None:
    header = RequestHeader("610999", "D0", "B1", "", 1, "01", "1234567893", date(2026, 3, 2), "")
    assert canonical_header(header) == "610999D0B1          1011234567893     20260302          "


def test_canonical_response_header() -> None:
    header = ResponseHeader("D0", "B2", 2, "R", "07", "1234567", date(2026, 12, 31))
    assert canonical_header(header) == "D0B22R071234567        20261231"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"bin": "61099"}, "101-A1 BIN Number: expected 6 digits"),
        ({"bin": "61099X"}, "101-A1 BIN Number: expected 6 digits"),
        ({"bin": 610999}, "101-A1 BIN Number: expected a str"),
        ({"pcn": "RXADJHMO123"}, "104-A4 Processor Control Number: needs at most 10"),
        ({"pcn": "RX\x1eADJ"}, "104-A4 Processor Control Number: needs at most 10 printable"),
        ({"version": "D00"}, "102-A2 Version/Release Number"),
        ({"service_provider_id": "1" * 16}, "201-B1 Service Provider ID"),
        ({"software_vendor_id": None}, "110-AK Software Vendor/Certification ID: expected a str"),
        ({"transaction_count": 10}, "109-A9 Transaction Count: expected an int from 0 to 9"),
        ({"transaction_count": True}, "109-A9 Transaction Count"),
        ({"date_of_service": None}, "401-D1 Date of Service: expected a date"),
    ],
)
def test_header_values_that_cannot_be_written(change: dict[str, object], message: str) -> None:
    header = replace(
        RequestHeader(
            "610999", "D0", "B1", "RXADJHMO", 1, "01", "1234567893", date(2026, 3, 2), ""
        ),
        **change,
    )
    with pytest.raises(NcpdpBuildError, match=message):
        canonical_header(header)


def test_response_status_must_fit() -> None:
    header = ResponseHeader("D0", "B1", 1, "AR", "01", "1", date(2026, 3, 2))
    with pytest.raises(NcpdpBuildError, match="501-F1 Header Response Status"):
        canonical_header(header)


def test_wire_is_reused_only_while_it_reads_as_the_header() -> None:
    padded = REQUEST[:10] + "  RXADJHMO" + REQUEST[20:]
    header = parse_header(padded, True, 0, Report())
    assert header is not None
    assert header.pcn == "  RXADJHMO"
    assert encode_header(header) == padded
    lower = parse_header(REQUEST[:6] + "d0b1" + REQUEST[10:], True, 0, Report())
    assert lower is not None
    assert encode_header(lower) == REQUEST[:6] + "d0b1" + REQUEST[10:]
    lower.transaction_count = 2
    assert encode_header(lower) == REQUEST[:20] + "2" + REQUEST[21:]
