"""Members and medical accumulators over HTTP: the "member out of pocket" answer."""

import datetime as dt

from api.http.keys import Role
from engine.adjudication.request import transmission_from_claims
from engine.ncpdp import encode

from conftest import make_claim

EPO = "ZZE300001"


def _epo_claim(service, rx: int, person: str, charge: str) -> None:
    claim = make_claim(
        "ZZT300001",
        person,
        "90200200101",
        rx,
        day=dt.date(2026, 3, 2),
        cardholder_id=EPO,
        date_of_birth={"001": dt.date(1983, 5, 5), "002": dt.date(1984, 10, 10)}[person],
        usual_and_customary=int(charge.replace(".", "")),
    )
    response = service.client.post(
        "/v1/ncpdp",
        content=encode(transmission_from_claims([claim])),
        headers=service.headers(Role.SWITCH),
    )
    assert response.status_code == 200


def test_eligibility_lists_persons_and_coverage(service):
    response = service.client.get(
        "/v1/members/ZZH100001", headers=service.headers(Role.MEMBER_SERVICES)
    )
    assert response.status_code == 200
    body = response.json()
    assert [p["person_code"] for p in body["persons"]] == ["001", "002", "003", "004"]
    assert body["coverages"][0]["plan"] == "HMO-GOLD"
    assert (
        service.client.get(
            "/v1/members/NOPE", headers=service.headers(Role.MEMBER_SERVICES)
        ).status_code
        == 404
    )


def test_integrated_accumulators_count_pharmacy_and_medical(service):
    medical = {
        "id": "MED-77",
        "cardholder_id": EPO,
        "person_code": "002",
        "date_of_service": "2026-02-01",
        "deductible": "400.00",
        "out_of_pocket": "400.00",
    }
    first = service.client.post(
        "/v1/medical-accumulators", json=medical, headers=service.headers(Role.FINANCE)
    )
    again = service.client.post(
        "/v1/medical-accumulators", json=medical, headers=service.headers(Role.FINANCE)
    )
    assert (first.json()["outcome"], again.json()["outcome"]) == ("accepted", "duplicate")
    _epo_claim(service, 501, "001", "100.00")
    response = service.client.get(
        f"/v1/members/{EPO}/accumulators",
        params={"person_code": "001", "date": "2026-03-02"},
        headers=service.headers(Role.MEMBER_SERVICES),
    )
    assert response.status_code == 200
    deductible = response.json()["deductible"]
    # EPO Integrated: aggregate family deductible $3,000 counting medical and pharmacy;
    # 001 paid $100.00 (the brand's usual and customary) toward it, 002 $400.00 medical
    assert deductible["person"] == {"pharmacy": "100.00", "medical": "0.00", "counted": "100.00"}
    assert deductible["family"] == {"pharmacy": "100.00", "medical": "400.00", "counted": "500.00"}
    assert deductible["remaining"] == "2500.00"
    assert response.json()["out_of_pocket"]["remaining"] == "5900.00"


def test_medical_batch_reports_each_outcome(service):
    items = [
        {
            "id": "B-1",
            "cardholder_id": EPO,
            "person_code": "001",
            "date_of_service": "2026-02-01",
            "deductible": "10.00",
            "out_of_pocket": "10.00",
        },
        {
            "id": "B-2",
            "cardholder_id": "NOPE",
            "person_code": "001",
            "date_of_service": "2026-02-01",
            "deductible": "10.00",
            "out_of_pocket": "10.00",
        },
        {
            "id": "B-1",
            "cardholder_id": EPO,
            "person_code": "001",
            "date_of_service": "2026-02-01",
            "deductible": "10.00",
            "out_of_pocket": "10.00",
        },
    ]
    response = service.client.post(
        "/v1/medical-accumulators/batch", json=items, headers=service.headers(Role.FINANCE)
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["accepted"], body["duplicate"], body["rejected"]) == (1, 1, 1)
    assert body["results"][1]["reason"] == "cardholder id not on file"


def test_member_services_cannot_post_medical_amounts(service):
    response = service.client.post(
        "/v1/medical-accumulators", json={}, headers=service.headers(Role.MEMBER_SERVICES)
    )
    assert response.status_code == 403
