"""Claims over HTTP: raw NCPDP for switches, JSON claims, lookups, roles, metrics."""

import datetime as dt
import json
from urllib.parse import quote

import pytest

from api.http.keys import Role
from engine.adjudication.request import transmission_from_claims
from engine.ncpdp import decode, encode

from conftest import make_claim

DAY = dt.date.today()
# the sample member ZZH100002 (HMO Gold, self-only) and a tier 1 generic, amlodipine
SAMPLE = {
    "cardholder_id": "ZZH100002",
    "group_id": "HMOGOLD01",
    "person_code": "001",
    "date_of_birth": dt.date(1990, 11, 3),
}


def _b1(rx: int, ndc: str = "90100100001", **changes) -> bytes:
    claim = make_claim(
        "ZZT100001", "001", ndc, rx, day=dt.date(2026, 3, 2), **{**SAMPLE, **changes}
    )
    return encode(transmission_from_claims([claim]))


def test_ncpdp_claim_is_paid_and_answered_with_response_bytes(service):
    response = service.client.post(
        "/v1/ncpdp", content=_b1(1, usual_and_customary=900), headers=service.headers(Role.SWITCH)
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/octet-stream")
    answer = decode(response.content).transmission
    status = answer.transactions[0].segment("21")
    # HMO Gold tier 1: $10 copay, but the $9.00 usual and customary price caps it
    assert status.get("AN") == "P"
    assert answer.transactions[0].segment("23").get("F5") == 900


def test_garbage_gets_a_d0_reject_never_an_http_error(service):
    response = service.client.post(
        "/v1/ncpdp", content=b"\x00\xffnot a claim", headers=service.headers(Role.SWITCH)
    )
    assert response.status_code == 200
    answer = decode(response.content).transmission
    assert answer.header.status == "R"


def test_a_failing_store_gets_reject_99_not_a_5xx(service):
    service.runtime.sql.close()
    response = service.client.post(
        "/v1/ncpdp", content=_b1(2), headers=service.headers(Role.SWITCH)
    )
    assert response.status_code == 200
    answer = decode(response.content).transmission
    assert answer.header.status == "R"
    assert [o["FB"] for o in answer.transactions[0].segment("21").group("FA")] == ["99"]


def test_keys_and_roles(service):
    assert service.client.post("/v1/ncpdp", content=_b1(3)).status_code == 401
    wrong = {"X-API-Key": service.keys[Role.SWITCH][:-2] + "xx"}
    assert service.client.post("/v1/ncpdp", content=_b1(3), headers=wrong).status_code == 401
    analyst = service.client.post(
        "/v1/ncpdp", content=_b1(3), headers=service.headers(Role.ANALYST)
    )
    assert analyst.status_code == 403
    admin = service.client.post("/v1/ncpdp", content=_b1(3), headers=service.headers(Role.ADMIN))
    assert admin.status_code == 200


def test_json_claim_returns_the_decision_with_its_trace(service):
    body = {
        "transaction_code": "B1",
        "bin": "610999",
        "pcn": "RXADJHMO",
        "service_provider_id": "1234567893",
        "date_of_service": "2026-03-02",
        "cardholder_id": "ZZH100002",
        "group_id": "HMOGOLD01",
        "person_code": "001",
        "date_of_birth": "1990-11-03",
        "rx_number": 10,
        "fill_number": 0,
        "ndc": "90100100001",
        "quantity": "30",
        "days_supply": 30,
        "prescriber_id": "1234567893",
        "usual_and_customary": "9.00",
    }
    response = service.client.post("/v1/claims", json=body, headers=service.headers(Role.SWITCH))
    assert response.status_code == 200
    decision = response.json()
    assert (decision["status"], decision["figures"]["patient_pay"]) == ("P", "9.00")
    assert any("copay" in line for line in decision["trace"])
    lookup = service.client.get(
        f"/v1/claims/{quote(decision['claim_key'], safe='')}",
        headers=service.headers(Role.MEMBER_SERVICES),
    )
    assert lookup.status_code == 200
    assert lookup.json()["decision"]["authorization_number"] == decision["authorization_number"]


def test_bad_json_is_a_400_naming_the_field(service):
    response = service.client.post(
        "/v1/claims",
        json={"transaction_code": "B1", "bin": "12"},
        headers=service.headers(Role.SWITCH),
    )
    assert response.status_code == 400
    assert "bin" in json.dumps(response.json())


def test_unknown_claim_key_is_404(service):
    response = service.client.get("/v1/claims/nope", headers=service.headers(Role.SWITCH))
    assert response.status_code == 404


@pytest.mark.parametrize("path", ["/health", "/ready"])
def test_health_and_readiness(service, path):
    response = service.client.get(path)
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_metrics_count_claims_and_reject_codes(service):
    service.client.post("/v1/ncpdp", content=_b1(20), headers=service.headers(Role.SWITCH))
    service.client.post(
        "/v1/ncpdp", content=_b1(21, ndc="90600600001"), headers=service.headers(Role.SWITCH)
    )
    text = service.client.get("/metrics").text
    assert 'rxadj_claims_total{status="P",transaction_code="B1"} 1.0' in text
    assert 'rxadj_rejects_total{code="70"} 1.0' in text
    assert "rxadj_request_seconds_bucket" in text
    assert "ZZH100002" not in text
