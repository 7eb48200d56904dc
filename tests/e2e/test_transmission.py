"""Bytes in, bytes out: whole NCPDP transmissions through the codec and the engine."""

import datetime as dt

from engine.adjudication.request import claims_from_transmission, transmission_from_claims
from engine.adjudication.transmission import adjudicate_transmission
from engine.ncpdp import decode, encode

from conftest import make_claim

DAY = dt.date(2026, 3, 2)
FAMILY = "ZZT100001"
GENERIC_A, BRAND_B = "11111111101", "22222222201"


def _response(processor, data: bytes):
    result = adjudicate_transmission(data, processor, DAY)
    decoded = decode(result.response)
    assert decoded.ok, decoded.issues
    return decoded.transmission


def test_paid_claim_response_carries_every_amount(processor):
    request = encode(transmission_from_claims([make_claim(FAMILY, "001", BRAND_B, 1)]))
    response = _response(processor, request)
    assert (response.header.status, response.header.transaction_code) == ("A", "B1")
    transaction = response.transactions[0]
    assert transaction.segment("21").get("AN") == "P"
    assert transaction.segment("22").get("D2") == 1
    pricing = transaction.segment("23")
    # HMO Gold, BRAND B $482.00: $250 deductible + $70 copay (see tests/unit/adjudication)
    assert {f: pricing.get(f) for f in ("F5", "F6", "F7", "F9", "FH", "FI", "FD", "FC")} == {
        "F5": 32000,
        "F6": 48000,
        "F7": 200,
        "F9": 16200,
        "FH": 25000,
        "FI": 7000,
        "FD": 0,
        "FC": 25000,
    }
    lines = [o["FQ"] for o in transaction.segment("21").group("UF")]
    assert "REMAINING OOP $2,680.00" in lines
    assert "DEDUCTIBLE MET WITH THIS CLAIM" in lines


def test_four_claims_in_one_transmission_are_answered_in_order(processor):
    claims = [
        make_claim(FAMILY, "001", GENERIC_A, 10),
        make_claim(FAMILY, "001", "66666666601", 11),  # excluded
        make_claim(FAMILY, "001", GENERIC_A, 10),  # duplicate of the first
        make_claim(FAMILY, "001", BRAND_B, 12),
    ]
    response = _response(processor, encode(transmission_from_claims(claims)))
    statuses = [t.segment("21").get("AN") for t in response.transactions]
    assert statuses == ["P", "R", "D", "P"]
    rejected = response.transactions[1].segment("21").group("FA")
    assert [o["FB"] for o in rejected] == ["70"]


def test_a_bad_field_rejects_only_its_transaction(processor):
    claims = [make_claim(FAMILY, "001", GENERIC_A, 20), make_claim(FAMILY, "001", BRAND_B, 21)]
    request = encode(transmission_from_claims(claims))
    # break the second claim's days supply (405-D5): D530 -> D5X0
    second = request.rindex(b"\x1cD530")
    broken = request[:second] + b"\x1cD5X0" + request[second + 5 :]
    response = _response(processor, broken)
    first, rejected = response.transactions
    assert first.segment("21").get("AN") == "P"
    assert rejected.segment("21").get("AN") == "R"
    assert [o["FB"] for o in rejected.segment("21").group("FA")] == ["19"]


def test_unreadable_header_gets_a_header_level_rejection(processor):
    result = adjudicate_transmission(b"THIS IS NOT A CLAIM", processor, DAY)
    # the header could not be read, so the echoed header fields stay blank; what the
    # switch needs is the status and the reject codes
    response = decode(result.response).transmission
    assert response.header.status == "R"
    status = response.transactions[0].segment("21")
    assert status.get("AN") == "R"
    assert [o["FB"] for o in status.group("FA")] == [i.reject.code for i in result.decoded.issues]
    assert [r.code.code for r in result.decisions[0].rejects] == [
        i.reject.code for i in result.decoded.issues
    ]
    assert result.claims == (None,)


def test_unknown_bin_is_answered_with_reject_01(processor):
    request = encode(
        transmission_from_claims([make_claim(FAMILY, "001", GENERIC_A, 30, bin="999999")])
    )
    response = _response(processor, request)
    assert [o["FB"] for o in response.transactions[0].segment("21").group("FA")] == ["01"]


def test_request_building_round_trips_through_the_codec():
    claims = [
        make_claim(
            FAMILY,
            "001",
            GENERIC_A,
            40,
            submission_clarification_codes=("03",),
            usual_and_customary=1234,
            coupon_value=500,
        )
    ]
    decoded = decode(encode(transmission_from_claims(claims)))
    assert decoded.ok
    back = claims_from_transmission(decoded.transmission)
    assert back == claims
