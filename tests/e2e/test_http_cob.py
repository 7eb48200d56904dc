"""A secondary claim as JSON over HTTP: the COB segment as ``other_payers``.

The sample Part D member ZZC670001 (plans/members/sample-cob-members.yaml) is 68 and
on his wife's employer plan (250 employees): the employer plan pays first.
Amlodipine 5mg (90100100001), 30 tablets at the retail contract: the NADAC-based MAC
of $0.76919 (plans/prices/nadac-2026-sample.csv, 2026-01-07) x 30 = $23.0757, rounded
$23.08, + $1.75 fee = $24.83.
"""

from api.http.keys import Role

PART_D = {
    "transaction_code": "B1",
    "bin": "610998",
    "pcn": "RXADJPDP",
    "service_provider_id": "1234567893",
    "date_of_service": "2026-03-02",
    "cardholder_id": "ZZC670001",
    "group_id": "PDPSTD",
    "person_code": "001",
    "date_of_birth": "1958-01-10",
    "rx_number": 5501,
    "fill_number": 0,
    "ndc": "90100100001",
    "quantity": "30",
    "days_supply": 30,
    "prescriber_id": "1234567893",
}
EMPLOYER = {
    "coverage_type": "01",
    "payer_id": "011111",
    "amounts_paid": [{"qualifier": "07", "amount": "20.00"}],
    "patient_responsibility": [{"qualifier": "06", "amount": "4.83"}],
}


def _post(service, body):
    response = service.client.post("/v1/claims", json=body, headers=service.headers(Role.SWITCH))
    assert response.status_code == 200, response.text
    return response.json()


def test_part_d_secondary_json_claim_keeps_the_employer_payment_out_of_troop(service):
    decision = _post(service, {**PART_D, "other_coverage_code": "2", "other_payers": [EMPLOYER]})
    assert decision["status"] == "P", decision["rejects"]
    figures = decision["figures"]
    # Part D alone: all $24.83 to the $615 deductible, plan $0; standard COB pays
    # min($0, ...) = $0: the patient pays the $4.83 the employer plan left
    assert (figures["allowed"], figures["plan_pay"], figures["patient_pay"]) == (
        "24.83",
        "0.00",
        "4.83",
    )
    cob = figures["cob"]
    # the employer plan took $24.83 - $4.83 = $20.00 off: it does not count (plro)
    assert (cob["payer_seq"], cob["other_troop"], cob["plro"]) == (2, "0.00", "20.00")
    # TrOOP grows by what the patient paid only; the deductible by the whole $24.83
    assert figures["out_of_pocket"] == "4.83"
    assert figures["deductible"] == "4.83"
    remaining = decision["remaining"]
    # deductible: $615.00 - $24.83 = $590.17; TrOOP: $2,100.00 - $4.83 = $2,095.17
    assert (remaining["deductible_remaining"], remaining["out_of_pocket_remaining"]) == (
        "590.17",
        "2095.17",
    )


def test_part_d_secondary_without_the_employer_result_is_sent_to_it(service):
    decision = _post(service, {**PART_D, "rx_number": 5502, "other_coverage_code": "1"})
    assert [r["code"] for r in decision["rejects"]] == ["41"]
    assert [(p["coverage_type"], p["bin"]) for p in decision["other_payers"]] == [("01", "011111")]


def test_json_cob_with_an_unknown_key_is_a_400(service):
    payer = {**EMPLOYER, "paid": "1.00"}
    response = service.client.post(
        "/v1/claims",
        json={**PART_D, "other_coverage_code": "2", "other_payers": [payer]},
        headers=service.headers(Role.SWITCH),
    )
    assert response.status_code == 400
    assert "paid" in response.text
