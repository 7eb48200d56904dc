"""Framing, tolerance and problems of ``decode``: every issue names where and why."""

from __future__ import annotations

from datetime import date

import pytest

from engine.ncpdp import MAX_TRANSMISSION_BYTES, RejectCode, Segment, decode, encode

from .samples import DATA

FS, GS, RS = "\x1c", "\x1d", "\x1e"
HEADER = "610999D0B1RXADJHMO  1011234567893     20260302RXADJ01   "
INSURANCE = f"{RS}{FS}AM04{FS}C2ZZH100001{FS}C3001"
CLAIM = f"{RS}{FS}AM07{FS}EM1{FS}D21234567{FS}E103{FS}D700093105001{FS}D530"
PRICING = f"{RS}{FS}AM11{FS}D9125{{{FS}DU142E"


def _header(code: str = "B1", count: int = 1) -> str:
    return HEADER[:8] + code + HEADER[10:20] + str(count) + HEADER[21:]


def _issues(text: str | bytes) -> list[tuple[str, int | None, str | None, str | None, int | None]]:
    data = text.encode("latin-1") if isinstance(text, str) else text
    return [
        (issue.reject.code, issue.offset, issue.segment, issue.field, issue.transaction)
        for issue in decode(data).issues
    ]


def _round_trip(data: bytes) -> None:
    decoded = decode(data)
    assert decoded.transmission is not None
    assert encode(decoded.transmission) == data


def test_trailing_etx_and_stx_etx_envelopes() -> None:
    plain = (DATA / "b1_typical.bin").read_bytes()
    for framed in (plain + b"\x03", b"\x02" + plain + b"\x03", plain + b"\r\n"):
        decoded = decode(framed)
        assert decoded.ok
        assert decoded.transmission == decode(plain).transmission
        assert encode(decoded.transmission) == framed
    assert decode(b"\x02" + plain + b"\x03").transmission.envelope == ("\x02", "\x03")  # type: ignore[union-attr]


def test_offsets_count_the_envelope() -> None:
    text = HEADER + GS + CLAIM.replace("D530", "D53X")
    offset = text.index("D53X")
    assert _issues(text) == [("19", offset, "07", "D5", 1)]
    assert _issues("\x02" + text + "\x03") == [("19", offset + 1, "07", "D5", 1)]


def test_header_directly_followed_by_a_group_separator() -> None:
    decoded = decode((_header("B2") + GS + CLAIM).encode())
    assert decoded.ok
    assert decoded.transmission.segments == {}  # type: ignore[union-attr]
    assert list(decoded.transmission.transactions[0].segments) == ["07"]  # type: ignore[union-attr]


def test_no_group_separator_without_transaction_level_segments() -> None:
    decoded = decode((_header("E1") + INSURANCE).encode())
    assert decoded.ok
    assert decoded.transmission.transactions == []  # type: ignore[union-attr]
    prior_auth = f"{RS}{FS}AM12{FS}PAX{FS}PY12345678901"
    decoded = decode((_header("P2") + prior_auth).encode())
    assert decoded.ok
    assert decoded.transmission.segments["12"].fields == {"PA": "X", "PY": "12345678901"}  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("count", "groups", "expected"),
    [
        (1, 1, []),
        (4, 4, []),
        (2, 1, [("1U", 20, None, "A9", None)]),
        (1, 2, [("1U", 20, None, "A9", None)]),
        (4, 5, [("1U", 20, None, "A9", None)]),
        (2, 0, [("1U", 20, None, "A9", None)]),
        (1, 0, []),
        (0, 1, [("A9", 20, None, "A9", None)]),
        (5, 5, [("A9", 20, None, "A9", None)]),
    ],
)
def test_transaction_count(count: int, groups: int, expected: list[object]) -> None:
    text = _header("B1", count) + INSURANCE + (GS + CLAIM) * groups
    assert _issues(text) == expected


def test_eligibility_allows_one_transaction() -> None:
    assert _issues(_header("E1", 2) + INSURANCE + (GS + CLAIM) * 2) == [
        ("PB", 20, None, "A9", None)
    ]


def test_an_issue_names_its_transaction() -> None:
    groups = [CLAIM, CLAIM, CLAIM.replace("D700093105001", "D7" + "1" * 20), CLAIM]
    text = _header("B1", 4) + INSURANCE + "".join(GS + group for group in groups)
    offset = text.index("D7" + "1" * 20)
    assert _issues(text) == [("21", offset, "07", "D7", 3)]
    decoded = decode(text.encode())
    transmission = decoded.transmission
    assert transmission is not None
    assert [tx.segments["07"].get("D7") for tx in transmission.transactions] == [
        "00093105001",
        "00093105001",
        None,
        "00093105001",
    ]
    assert transmission.transactions[2].segments["07"].unknown == [("D7", "1" * 20)]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("X" + INSURANCE, "text after the header is not a segment"),
        (GS + GS + CLAIM, "transaction has no segments"),
        (GS + "junk" + CLAIM, "text before the first segment separator"),
        (INSURANCE + RS + RS + GS + CLAIM, "empty segment"),
        (f"{RS}AM04{FS}C2X" + GS + CLAIM, "segment does not begin with a field separator"),
        (f"{RS}{FS}C2X" + GS + CLAIM, "segment does not begin with a field separator"),
        (f"{RS}{FS}AM4{FS}C2X" + GS + CLAIM, "segment does not begin with a field separator"),
        (INSURANCE + GS + CLAIM + CLAIM, "segment AM07 repeated in one transaction"),
        (INSURANCE + GS + CLAIM + f"{RS}{FS}AM21{FS}ANP", "does not belong in a request"),
    ],
)
def test_framing_problems_are_segment_identification_issues(body: str, message: str) -> None:
    decoded = decode((HEADER + body).encode())
    assert decoded.transmission is not None
    assert [issue.reject for issue in decoded.issues][:1] == [RejectCode.MI_SEGMENT_IDENTIFICATION]
    assert message in decoded.issues[0].message


def test_problem_offsets_point_at_the_separator_or_field() -> None:
    text = HEADER + GS + GS + CLAIM
    assert _issues(text)[0][1] == 56
    text = HEADER + INSURANCE + RS + RS + GS + CLAIM
    assert [issue[1] for issue in _issues(text)] == [80, 81]


def test_unknown_segments_are_kept_and_noticed() -> None:
    vendor = f"{RS}{FS}AM99{FS}ZZabc{FS}*A1"
    data = (HEADER + INSURANCE + GS + CLAIM + vendor + f"{RS}{FS}AMXX{FS}01X").encode()
    decoded = decode(data)
    assert decoded.ok
    group = decoded.transmission.transactions[0].segments  # type: ignore[union-attr]
    assert group["99"] == Segment("99", {}, {}, [("ZZ", "abc"), ("*A", "1")])
    assert group["XX"].unknown == [("01", "X")]
    assert [notice.segment for notice in decoded.notices] == ["99", "XX"]
    assert "not a D.0 segment" in decoded.notices[0].message
    _round_trip(data)


def test_unknown_and_deleted_fields_are_kept_in_order_and_noticed() -> None:
    prescriber = f"{RS}{FS}AM03{FS}EZ01{FS}1E001{FS}DB1679576722{FS}H5002{FS}**X"
    data = (
        HEADER + INSURANCE.replace("C3001", "A6vendor" + FS + "C3001") + GS + CLAIM + prescriber
    ).encode()
    decoded = decode(data)
    assert decoded.ok
    transmission = decoded.transmission
    assert transmission is not None
    assert transmission.segments["04"].unknown == [("A6", "vendor")]
    segment = transmission.transactions[0].segments["03"]
    assert segment.fields == {"EZ": "01", "DB": "1679576722"}
    assert segment.unknown == [("1E", "001"), ("H5", "002"), ("**", "X")]
    messages = [notice.message for notice in decoded.notices]
    assert messages[1] == "467-1E Prescriber Location Code was deleted from D.0; kept unread"
    assert messages[3] == "field id ** is not part of segment 03; kept unread"
    assert decoded.notices[1].offset == data.index(b"1E001")
    _round_trip(data)


def test_lower_case_ids_are_read_upper_case() -> None:
    data = (HEADER + f"{RS}{FS}am04{FS}c2ZZH100001{FS}C3001" + GS + CLAIM).encode()
    decoded = decode(data)
    assert decoded.ok
    assert decoded.transmission.segments["04"].fields == {"C2": "ZZH100001", "C3": "001"}  # type: ignore[union-attr]
    assert len(decoded.notices) == 2
    _round_trip(data)


def test_padded_values_zero_filled_amounts_and_unusual_order() -> None:
    insurance = f"{RS}{FS}AM04{FS}C3001{FS}C2ZZH100001           "
    claim = f"{RS}{FS}AM07{FS}D5030{FS}D7" + "00093105001        " + f"{FS}EM1{FS}D2000001234567"
    pricing = f"{RS}{FS}AM11{FS}DU0000142E{FS}D9 125{{"
    data = (HEADER + insurance + GS + claim + pricing).encode()
    decoded = decode(data)
    assert decoded.ok
    assert decoded.notices == ()
    transmission = decoded.transmission
    assert transmission is not None
    assert transmission.segments["04"].fields == {"C3": "001", "C2": "ZZH100001"}
    group = transmission.transactions[0].segments
    assert group["07"].fields == {"D5": 30, "D7": "00093105001", "EM": "1", "D2": 1234567}
    assert group["11"].fields == {"DU": 1425, "D9": 1250}
    _round_trip(data)


@pytest.mark.parametrize(
    ("field", "bad", "code"),
    [
        ("D5", "D53X", "19"),
        ("D5", "D5-3", "19"),
        ("D9", "D91250", "23"),
        ("D9", "D912.5{", "23"),
        ("DU", "DU142E7", "DU"),
        ("D7", "D7" + "0" * 20, "21"),
        ("DE", "DE20260231", "28"),
        ("C4", "C419800230", "09"),
        ("E7", "E730.000", "E7"),
        ("D3", "D3", "17"),
    ],
)
def test_bad_values_carry_the_fields_reject(field: str, bad: str, code: str) -> None:
    claim = f"{RS}{FS}AM07{FS}D530{FS}D700093105001{FS}DE20260301{FS}E730000{FS}D30"
    patient = f"{RS}{FS}AM01{FS}C419800115"
    text = HEADER + patient + GS + claim + PRICING
    good = {"D5": "D530", "D9": "D9125{", "DU": "DU142E", "D7": "D700093105001"}
    good |= {"DE": "DE20260301", "C4": "C419800115", "E7": "E730000", "D3": "D30"}
    text = text.replace(good[field], bad)
    transaction = None if field == "C4" else 1
    segment = {"D9": "11", "DU": "11", "C4": "01"}.get(field, "07")
    assert _issues(text) == [(code, text.index(bad), segment, field, transaction)]


def test_non_ascii_and_control_characters_in_values() -> None:
    text = HEADER + f"{RS}{FS}AM01{FS}CAJOSÉ{FS}CBDOE\x00" + GS + CLAIM
    issues = _issues(text)
    assert [(code, field) for code, _, _, field, _ in issues] == [("CA", "CA"), ("CB", "CB")]
    assert issues[0][1] == text.index("CAJOS")


def test_fields_without_their_own_code_use_the_segment_or_side_fallback() -> None:
    claim = CLAIM + f"{FS}EN12X"
    patient = f"{RS}{FS}AM01{FS}CQ555X"
    issues = _issues(HEADER + patient + GS + claim)
    assert [(code, field) for code, _, _, field, _ in issues] == [("85", "CQ"), ("PC", "EN")]


def test_empty_fields_and_repeated_fields() -> None:
    text = HEADER + INSURANCE + GS + CLAIM + FS + FS + "D531"
    issues = _issues(text)
    assert issues == [
        ("PC", len(HEADER + INSURANCE + GS + CLAIM) + 1, "07", None, 1),
        ("19", len(text) - 4, "07", "D5", 1),
    ]
    decoded = decode(text.encode())
    segment = decoded.transmission.transactions[0].segments["07"]  # type: ignore[union-attr]
    assert segment.get("D5") == 30
    assert segment.unknown == [("", ""), ("D5", "31")]


def test_huge_inputs_are_refused_after_the_header() -> None:
    data = (HEADER + INSURANCE + GS + CLAIM + f"{RS}{FS}AM16{FS}BM" + "X" * 70_000).encode()
    decoded = decode(data)
    assert decoded.transmission is not None
    assert decoded.transmission.header.transaction_code == "B1"
    assert decoded.transmission.transactions == []
    assert [(i.reject.code, i.offset) for i in decoded.issues] == [("85", MAX_TRANSMISSION_BYTES)]


def test_the_size_guard_is_configurable() -> None:
    data = (DATA / "b1_typical.bin").read_bytes()
    assert decode(data, max_size=len(data)).ok
    assert [issue.reject.code for issue in decode(data, max_size=len(data) - 1).issues] == ["85"]


def test_any_bytes_like_input_and_nothing_else() -> None:
    data = (DATA / "b1_typical.bin").read_bytes()
    assert decode(bytearray(data)).ok
    assert decode(memoryview(data)).ok
    decoded = decode(data.decode("ascii"))  # type: ignore[arg-type]
    assert decoded.transmission is None
    assert [(i.reject, i.message) for i in decoded.issues] == [
        (RejectCode.HOST_PROCESSING_ERROR, "input is not bytes")
    ]


def test_decoded_ok_and_issue_text() -> None:
    decoded = decode((HEADER + GS + CLAIM.replace("D530", "D53X")).encode())
    assert not decoded.ok
    assert str(decoded.issues[0]) == (
        "offset 97, transaction 1, segment 07, field D5: 405-D5 Days Supply: not a number"
        " (reject 19 M/I Days Supply)"
    )
    assert decode(b"").issues[0].transaction is None


def test_a_response_is_recognised_and_read() -> None:
    data = (DATA / "response_paid.bin").read_bytes()
    decoded = decode(data)
    assert decoded.ok
    assert not decoded.transmission.is_request
    assert decoded.transmission.header.date_of_service == date(2026, 3, 2)  # type: ignore[union-attr]
    request_segment = f"{RS}{FS}AM07{FS}EM1"
    text = data.decode() + request_segment
    assert _issues(text)[0][0] == "AM"
