"""Coordination of benefits through the command line: one fill billed to the primary,
the secondary and the tertiary as real D.0 bytes, each bill built from the previous
response, over the shipped plans, prices and sample members
(plans/members/sample-cob-members.yaml).

Insulin glargine 100u/ml pen (90400400001), 10 units at the retail contract: AWP
$41.96 x 10 = $419.60, less 18% = $344.072, rounded $344.07, + $1.75 fee = $345.82.
"""

import datetime as dt
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from api.cli import app
from engine.adjudication.request import transmission_from_claims
from engine.claim import ClaimRequest, OtherPayerResult, QualifiedAmount
from engine.ncpdp import decode, encode

DAY = dt.date(2026, 3, 2)
INSULIN = "90400400001"
RILEY = {  # the same child in each parent's family, with that plan's person code
    "RXADJPPO": ("ZZC610001", "PPOSILV01", "002"),
    "RXADJEPO": ("ZZC620001", "EPOINT01", "003"),
    "RXADJHMO": ("ZZC630001", "HMOGOLD01", "002"),
}


@pytest.fixture
def send(tmp_path):
    runner = CliRunner()

    def invoke(claim: ClaimRequest, name: str):
        request = tmp_path / f"{name}.bin"
        request.write_bytes(encode(transmission_from_claims([claim])))
        result = runner.invoke(
            app, ["adjudicate", str(request), "-o", "ncpdp", "--received", DAY.isoformat()]
        )
        assert result.exit_code == 0, result.output
        decoded = decode(result.stdout_bytes.rstrip(b"\n"))
        assert decoded.ok, decoded.issues
        return decoded.transmission.transactions[0]

    return invoke


def _bill(pcn: str, transaction_code="B1", occ="1", others=()) -> ClaimRequest:
    cardholder, group, person = RILEY[pcn]
    return ClaimRequest(
        transaction_code=transaction_code,
        bin="610999",
        pcn=pcn,
        service_provider_id_qualifier="01",
        service_provider_id="1234567893",
        date_of_service=DAY,
        cardholder_id=cardholder,
        group_id=group,
        person_code=person,
        date_of_birth=dt.date(2016, 9, 1),
        rx_number=4401,
        fill_number=0,
        product_id_qualifier="03",
        ndc=INSULIN,
        quantity=Decimal(10),
        days_supply=30,
        compound_code="1",
        daw="0",
        prescriber_id_qualifier="01",
        prescriber_id="1234567893",
        other_coverage_code=occ,
        other_payers=tuple(others),
    )


def _result(place: str, pricing) -> OtherPayerResult:
    """The COB occurrence a pharmacy system builds from a payer's paid response."""
    return OtherPayerResult(
        coverage_type=place,
        id_qualifier="03",
        payer_id="610999",
        date=DAY,
        amounts_paid=(QualifiedAmount("07", pricing.get("F9")),),
        patient_responsibility=(QualifiedAmount("06", pricing.get("F5")),),
    )


def _status(transaction):
    return transaction.segment("21").get("AN")


def test_primary_secondary_tertiary_through_ncpdp_bytes(send):
    # the pharmacy first asks (E1) who pays: the mother's PPO, first by the custody rule
    eligibility = send(_bill("RXADJPPO", "E1"), "e1")
    lines = [o["FQ"] for o in eligibility.segment("21").group("UF")]
    assert "THIS PLAN PAYS PRIMARY BY RULE CUSTODY" in lines
    assert [(o["5C"], o["MH"]) for o in eligibility.segment("28").group("NT")] == [
        ("02", "RXADJEPO"),
        ("03", "RXADJHMO"),
    ]

    # billing the EPO first is sent to the primary (41)
    early = send(_bill("RXADJEPO", occ="1"), "early")
    assert _status(early) == "R"
    assert [o["FB"] for o in early.segment("21").group("FA")] == ["41"]

    # primary, the PPO: 20% of $345.82 = $69.16, limited by the $50 insulin cap
    primary = send(_bill("RXADJPPO"), "primary")
    assert _status(primary) == "P"
    first = primary.segment("23")
    assert (first.get("F9"), first.get("F5")) == (29582, 5000)
    assert primary.segment("28").group("NT")[0]["MH"] == "RXADJEPO"

    # secondary, the EPO by carve-out: alone it charges 25% = $86.46, limited by its $35
    # cap; the patient pays $35.00, the EPO the rest of the $50.00: $15.00
    from_primary = _result("01", first)
    secondary = send(_bill("RXADJEPO", occ="2", others=[from_primary]), "secondary")
    assert _status(secondary) == "P"
    second = secondary.segment("23")
    # J5 (other payer amount recognized): $345.82 - $35.00 - $15.00 = $295.82
    assert (second.get("F9"), second.get("F5"), second.get("J5")) == (1500, 3500, 29582)

    # tertiary, the HMO by standard COB: normal benefit $345.82 - $35.00 copay = $310.82;
    # the others paid $295.82 + $15.00 = $310.82, leaving $35.00: it pays all of it
    from_secondary = _result("02", second)
    tertiary = send(_bill("RXADJHMO", occ="2", others=[from_primary, from_secondary]), "tertiary")
    assert _status(tertiary) == "P"
    third = tertiary.segment("23")
    assert (third.get("F9"), third.get("F5"), third.get("J5")) == (3500, 0, 31082)
    # the three payers and the patient together paid the allowed amount, F6 + F7
    paid = first.get("F9") + second.get("F9") + third.get("F9") + third.get("F5")
    assert paid == third.get("F6") + third.get("F7") == 34582
