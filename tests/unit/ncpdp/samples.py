"""Typed models of the sample transmissions, and the files built from them.

Each ``tests/data/ncpdp/*.bin`` file was written by ``encode`` from the model of the
same name here; ``test_samples.py`` checks that they still agree and asserts the
decoded values field by field, as read by hand from the bytes.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from engine.ncpdp import RequestHeader, ResponseHeader, Segment, Transaction, Transmission

DATA = Path(__file__).resolve().parents[2] / "data" / "ncpdp"

DOS = date(2026, 3, 2)
NPI = "1234567893"


def request_header(code: str, count: int) -> RequestHeader:
    return RequestHeader("610999", "D0", code, "RXADJHMO", count, "01", NPI, DOS, "RXADJ01")


def response_header(code: str, count: int, status: str = "A") -> ResponseHeader:
    return ResponseHeader("D0", code, count, status, "01", NPI, DOS)


def patient() -> Segment:
    return Segment(
        "01", {"C4": date(1980, 1, 15), "C5": "2", "CA": "JANE", "CB": "DOE", "C7": "01"}
    )


def insurance() -> Segment:
    return Segment("04", {"C2": "ZZH100001", "C1": "RXADJGRP1", "C3": "001", "C6": "1"})


def claim(rx: int = 1234567, ndc: str = "00093105001", quantity: str = "30.000") -> Segment:
    return Segment(
        "07",
        {
            "EM": "1",
            "D2": rx,
            "E1": "03",
            "D7": ndc,
            "E7": Decimal(quantity),
            "D3": 0,
            "D5": 30,
            "D6": "1",
            "D8": "0",
            "DE": date(2026, 3, 1),
            "DF": 5,
            "DJ": "1",
        },
    )


def prescriber() -> Segment:
    return Segment("03", {"EZ": "01", "DB": "1679576722", "DR": "SMITH"})


def pricing(cost: int = 1250, fee: int = 175, usual: int = 2500, gross: int = 1425) -> Segment:
    return Segment("11", {"D9": cost, "DC": fee, "DQ": usual, "DU": gross, "DN": "01"})


def b1_typical() -> Transmission:
    """A retail B1: patient, insurance, then claim, prescriber and pricing."""
    claim_group = {"07": claim(), "03": prescriber(), "11": pricing()}
    return Transmission(
        request_header("B1", 1),
        {"01": patient(), "04": insurance()},
        [Transaction(claim_group)],
    )


def b1_four_claims() -> Transmission:
    """Four claims for one patient in one transmission."""
    claims = [
        (1234567, "00093105001", "30.000", pricing()),
        (1234568, "00378180110", "90.000", pricing(2210, 175, 4000, 2385)),
        (1234569, "00071015523", "60.000", pricing(48533, 175, 60000, 48708)),
        (1234570, "00591040401", "15.500", pricing(399, 0, 999, 399)),
    ]
    return Transmission(
        request_header("B1", 4),
        {"01": patient(), "04": insurance()},
        [
            Transaction({"07": claim(rx, ndc, quantity), "03": prescriber(), "11": prices})
            for rx, ndc, quantity, prices in claims
        ],
    )


def b2_reversal() -> Transmission:
    """Reverse the typical B1: insurance, then the claim's key fields only."""
    reversal = Segment("07", {"EM": "1", "D2": 1234567, "E1": "03", "D7": "00093105001", "D3": 0})
    return Transmission(
        request_header("B2", 1), {"04": insurance()}, [Transaction({"07": reversal})]
    )


def b3_rebill() -> Transmission:
    """Rebill the typical B1 with a corrected quantity and price."""
    rebill = {
        "07": claim(quantity="28.000"),
        "03": prescriber(),
        "11": pricing(1167, 175, 2333, 1342),
    }
    return Transmission(
        request_header("B3", 1), {"01": patient(), "04": insurance()}, [Transaction(rebill)]
    )


def e1_eligibility() -> Transmission:
    """Eligibility: transmission-level segments only, so no group separator."""
    return Transmission(request_header("E1", 1), {"04": insurance(), "01": patient()}, [])


def b1_cob_dur_compound() -> Transmission:
    """A secondary claim for a compound with two DUR/PPS occurrences and three groups."""
    compound_claim = claim(rx=2345678, ndc="0", quantity="120.000")
    compound_claim.fields.update({"E1": "00", "D6": "2", "C8": "2"})
    compound_claim.repeats["NX"] = [{"DK": "08"}]
    cob = Segment(
        "05",
        {},
        {
            "4C": [
                {
                    "5C": "01",
                    "6C": "03",
                    "7C": "610097",
                    "E8": date(2026, 3, 2),
                    "HB": [{"HC": "07", "DV": 1000}, {"HC": "01", "DV": 250}],
                    "5E": [{"6E": "70"}],
                }
            ]
        },
    )
    dur = Segment(
        "08",
        {},
        {
            "7E": [
                {"7E": 1, "E4": "DD", "E5": "M0", "E6": "1B", "8E": "11"},
                {"7E": 2, "E4": "TD", "E5": "R0", "E6": "1G"},
                {"7E": 3, "E4": "HD", "E5": "PH", "E6": "1A", "J9": "03", "H6": "00093105001"},
            ]
        },
    )
    compound = Segment(
        "10",
        {"EF": "01", "EG": "1"},
        {
            "EC": [
                {"RE": "03", "TE": "00093105001", "ED": Decimal("100.000"), "EE": 1500, "UE": "01"},
                {
                    "RE": "03",
                    "TE": "00182101001",
                    "ED": Decimal("20.000"),
                    "EE": 320,
                    "UE": "01",
                    "2G": [{"2H": "AA"}],
                },
            ]
        },
    )
    group = {
        "07": compound_claim,
        "03": prescriber(),
        "05": cob,
        "08": dur,
        "10": compound,
        "11": pricing(1820, 1000, 3500, 2820),
    }
    return Transmission(
        request_header("B1", 1), {"01": patient(), "04": insurance()}, [Transaction(group)]
    )


def response_paid() -> Transmission:
    """The paid answer to the typical B1: copay 5.00, plan pays 9.25."""
    status = Segment("21", {"AN": "P", "F3": "RX260302000001"})
    reply = Segment("22", {"EM": "1", "D2": 1234567})
    prices = Segment(
        "23",
        {
            "F5": 500,
            "F6": 1250,
            "F7": 175,
            "F9": 925,
            "FM": "1",
            "FC": 25000,
            "FD": 0,
            "FH": 0,
            "FI": 500,
            "4U": 0,
        },
    )
    return Transmission(
        response_header("B1", 1),
        {"20": Segment("20", {"F4": "CLAIM PAID"})},
        [Transaction({"21": status, "22": reply, "23": prices})],
    )


def response_rejected() -> Transmission:
    """A transaction-level reject with two codes, an occurrence and two message lines."""
    status = Segment(
        "21",
        {"AN": "R", "7F": "03", "8F": "8005551234"},
        {
            "FA": [{"FB": "76"}, {"FB": "88", "4F": 2}],
            "UF": [
                {"UH": "01", "FQ": "DAYS SUPPLY LIMIT IS 30 FOR THIS", "UG": "+"},
                {"UH": "02", "FQ": "PRODUCT"},
            ],
        },
    )
    dur = Segment(
        "24",
        {},
        {
            "J6": [
                {"J6": 1, "E4": "DD", "FS": "1", "FT": "1", "FU": date(2026, 2, 20)},
                {"J6": 2, "E4": "TD", "FS": "2", "FV": Decimal("30.000"), "FY": "THERAPEUTIC DUP"},
            ]
        },
    )
    return Transmission(
        response_header("B1", 1),
        {},
        [Transaction({"21": status, "22": Segment("22", {"EM": "1", "D2": 1234567}), "24": dur})],
    )


def response_duplicate() -> Transmission:
    """A repeated B1 answered as duplicate of paid, with the original figures."""
    paid = response_paid()
    paid.transactions[0].segments["21"].fields["AN"] = "D"
    return Transmission(paid.header, {}, paid.transactions)


def response_e1() -> Transmission:
    """An eligibility answer: patient and Part D data, then status and other payers."""
    other_payers = Segment(
        "28",
        {},
        {
            "NT": [
                {
                    "5C": "01",
                    "6C": "03",
                    "7C": "610097",
                    "MH": "9999",
                    "NU": "ZZOTHER01",
                    "MJ": "PDPIND",
                    "UW": "1",
                    "UX": date(2025, 10, 1),
                    "UY": date(2026, 12, 31),
                }
            ]
        },
    )
    return Transmission(
        response_header("E1", 1),
        {
            "20": Segment("20", {"F4": "ELIGIBLE"}),
            "27": Segment("27", {"UR": "01", "U1": "S1234", "U6": "001"}),
            "29": Segment("29", {"CA": "JANE", "CB": "DOE", "C4": date(1980, 1, 15)}),
        },
        [Transaction({"21": Segment("21", {"AN": "A"}), "28": other_payers})],
    )


SAMPLES = {
    "b1_typical.bin": b1_typical,
    "b1_four_claims.bin": b1_four_claims,
    "b2_reversal.bin": b2_reversal,
    "b3_rebill.bin": b3_rebill,
    "e1_eligibility.bin": e1_eligibility,
    "b1_cob_dur_compound.bin": b1_cob_dur_compound,
    "response_paid.bin": response_paid,
    "response_rejected.bin": response_rejected,
    "response_duplicate.bin": response_duplicate,
    "response_e1.bin": response_e1,
}
"""Every sample file and the model it was built from."""
