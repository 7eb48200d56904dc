"""The model's small conveniences and the text of issues and notices."""

from __future__ import annotations

from datetime import date

from engine.ncpdp import (
    CodecIssue,
    CodecNotice,
    Decoded,
    RejectCode,
    Segment,
    Transaction,
    Transmission,
)

from .samples import request_header, response_header


def test_segment_get_and_group() -> None:
    segment = Segment("07", {"D5": 30}, {"NX": [{"DK": "08"}]})
    assert segment.get("D5") == 30
    assert segment.get("D7") is None
    assert segment.get("D7", "none") == "none"
    assert segment.group("NX") == [{"DK": "08"}]
    assert segment.group("SE") == []
    assert Segment("07", {}).repeats == {}
    assert Segment("07", {}).unknown == []


def test_wire_takes_no_part_in_equality() -> None:
    assert Segment("04", {"C2": "X"}, wire="\x1cAM04\x1cC2X ") == Segment("04", {"C2": "X"})


def test_transactions_and_transmissions_find_segments() -> None:
    claim = Segment("07", {"EM": "1"})
    transaction = Transaction({"07": claim})
    assert transaction.segment("07") is claim
    assert transaction.segment("11") is None
    request = Transmission(request_header("B1", 1), {"04": Segment("04", {})}, [transaction])
    assert request.is_request
    assert request.segment("04") == Segment("04", {})
    assert request.segment("01") is None
    assert not Transmission(response_header("B1", 1), {}, []).is_request


def test_decoded_is_ok_only_with_a_transmission_and_no_issue() -> None:
    transmission = Transmission(request_header("E1", 1), {}, [])
    issue = CodecIssue(RejectCode.MI_DAYS_SUPPLY, "bad", 5)
    assert Decoded(transmission).ok
    assert Decoded(transmission, (), (CodecNotice("odd", 1),)).ok
    assert not Decoded(transmission, (issue,)).ok
    assert not Decoded(None).ok


def test_issue_and_notice_text() -> None:
    issue = CodecIssue(RejectCode.MI_PRODUCT_SERVICE_ID, "too long", 90, "07", "D7", 2, 1)
    assert str(issue) == (
        "offset 90, transaction 2, segment 07, field D7, occurrence 1: too long"
        " (reject 21 M/I Product/Service ID)"
    )
    assert str(CodecIssue(RejectCode.HOST_PROCESSING_ERROR, "input is not bytes")) == (
        "no offset: input is not bytes (reject 99 Host Processing Error)"
    )
    assert str(CodecNotice("kept", 12, "99")) == "offset 12: kept"
    assert str(CodecNotice("kept")) == "no offset: kept"


def test_headers_keep_the_documented_attributes() -> None:
    header = request_header("B1", 1)
    assert (header.bin, header.version, header.transaction_code, header.pcn) == (
        "610999",
        "D0",
        "B1",
        "RXADJHMO",
    )
    assert (header.transaction_count, header.service_provider_id_qualifier) == (1, "01")
    assert (header.service_provider_id, header.software_vendor_id) == ("1234567893", "RXADJ01")
    assert header.date_of_service == date(2026, 3, 2)
    response = response_header("B1", 1, "R")
    assert (response.status, response.transaction_count) == ("R", 1)
