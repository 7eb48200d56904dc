"""Plans over HTTP: validate, dry run, publish with hot reload, compliance gate, rollback."""

import datetime as dt
import threading
import time

from litestar.testing import TestClient
from sqlalchemy import text

import api.publishing
from api.http.app import create_app
from api.http.keys import KeyStore, Role
from api.runtime import build_runtime
from api.settings import Settings
from engine.adjudication.request import transmission_from_claims
from engine.ncpdp import decode, encode

from conftest import REPO, make_claim

PPO_FILE = REPO / "plans" / "ppo-silver" / "2026.yaml"
PPO = "ZZP200001"
STATIN_MAIL = "    mail: {copay: 10}"


def _ppo_text(copay: str = "10") -> str:
    text = PPO_FILE.read_text()
    assert STATIN_MAIL in text
    return text.replace(STATIN_MAIL, f"    mail: {{copay: {copay}}}")


def _ppo_tests(copay: str) -> str:
    """A test file for the changed version: the analyst's new mail copay, by hand."""
    return f"""kind: plan-tests
plan: PPO-SILVER
version: "2026.1"
date_of_service: 2026-03-02
scenarios:
  - name: tier 1 by mail
    accumulators: {{"001": {{deductible: 500}}}}
    claims:
      - {{ndc: "90100100101", quantity: "90", days_supply: 90, pharmacy: mail,
         usual_and_customary: 30}}
    expect:
      - {{status: P, patient_pay: {copay}.00, plan_pay: {30 - int(copay)}.00}}
"""


PREVENTIVE = ["90100100101", "90100101201", "90100101301", "90100111501", "90100107401"]
"""Tier 1 preventive generics (no deductible) priced above the copays tested, each
its own drug group so that five claims in a row are never a refill too soon."""


def _mail_claim(rx: int, code: str = "B1") -> bytes:
    # a 90-day mail fill of a preventive generic: the PPO's tier 1 mail copay applies
    claim = make_claim(
        "ZZT200001",
        "001",
        PREVENTIVE[rx % len(PREVENTIVE)],
        rx,
        day=dt.date(2026, 3, 2),
        cardholder_id=PPO,
        date_of_birth=dt.date(1972, 3, 15),
        quantity=90,
        days_supply=90,
        service_provider_id="1200000010",
        transaction_code=code,
    )
    return encode(transmission_from_claims([claim]))


def _patient_pay(client, headers, rx: int, *, reverse: bool = False) -> int:
    response = client.post("/v1/ncpdp", content=_mail_claim(rx), headers=headers)
    assert response.status_code == 200
    transaction = decode(response.content).transmission.transactions[0]
    status = transaction.segment("21")
    assert status.get("AN") == "P", [o["FQ"] for o in status.group("UF")]
    if reverse:  # give the fill back, so the next claim for the drug is not too soon
        client.post("/v1/ncpdp", content=_mail_claim(rx, "B2"), headers=headers)
    return transaction.segment("23").get("F5")


def test_validate_reports_problems_with_their_line(service):
    good = service.client.post(
        "/v1/plans/validate", content=_ppo_text("11"), headers=service.headers(Role.ANALYST)
    )
    assert good.status_code == 200
    assert good.json()["valid"]
    assert good.json()["compliance"]["passed"]
    # the shipped tests expect the $10 mail copay: one scenario fails, and says where
    tests = good.json()["plan_tests"]
    assert (tests["failed"], tests["untested"]) == (1, [])
    [failure] = tests["failures"]
    assert failure["scenario"] == "PPO-SILVER@2026.1/tier 1 at retail 90 and by mail"
    assert failure["mismatches"][0] == {
        "claim": 2,
        "field": "patient_pay",
        "expected": "$10.00",
        "actual": "$11.00",
    }
    broken = _ppo_text().replace("market: large_group", "market: huge_group")
    line = broken.splitlines().index("market: huge_group") + 1
    bad = service.client.post(
        "/v1/plans/validate", content=broken, headers=service.headers(Role.ANALYST)
    )
    issues = bad.json()["issues"]
    assert not bad.json()["valid"]
    assert [(i["line"], "market" in i["message"]) for i in issues] == [(line, True)]


def test_publish_takes_effect_at_once_and_rollback_restores(service):
    headers = service.headers(Role.SWITCH)
    assert _patient_pay(service.client, headers, 1) == 1000
    published = service.client.post(
        "/v1/plans/publish",
        json={"file": _ppo_text("12"), "tests": _ppo_tests("12")},
        headers=service.headers(Role.ANALYST),
    )
    assert published.status_code == 201, published.text
    assert _patient_pay(service.client, headers, 2) == 1200
    rolled = service.client.post(
        "/v1/plans/rollback",
        json={"id": "PPO-SILVER", "reason": "wrong copay"},
        headers=service.headers(Role.ANALYST),
    )
    assert rolled.status_code == 200
    assert _patient_pay(service.client, headers, 3) == 1000
    with service.runtime.sql.reader.connect() as conn:
        actions = conn.execute(text("SELECT action, subject FROM audit_log ORDER BY id")).all()
    assert [a for a, _ in actions if a in ("publish", "rollback")] == [
        "publish",
        "publish",
        "rollback",
        "rollback",
    ]
    assert [s for _, s in actions][-2:] == [
        "plan PPO-SILVER@2026.1",
        "plan-tests PPO-SILVER@2026.1",
    ]


def test_claims_keep_flowing_while_a_version_is_published(service):
    headers = service.headers(Role.SWITCH)
    results: list[int] = []
    stop = threading.Event()

    def send() -> None:
        rx = 100
        while not stop.is_set():
            rx += 1
            for code, expected in (("B1", "P"), ("B2", "A")):  # the reversal frees the refill
                response = service.client.post(
                    "/v1/ncpdp", content=_mail_claim(rx, code), headers=headers
                )
                answer = decode(response.content).transmission.transactions[0].segment("21")
                results.append((response.status_code, answer.get("AN") == expected))

    sender = threading.Thread(target=send)
    sender.start()
    time.sleep(0.3)
    published = service.client.post(
        "/v1/plans/publish",
        json={"file": _ppo_text("13"), "tests": _ppo_tests("13")},
        headers=service.headers(Role.ANALYST),
    )
    time.sleep(0.3)
    stop.set()
    sender.join()
    assert published.status_code == 201
    assert results
    assert set(results) == {(200, True)}
    assert _patient_pay(service.client, headers, 99) == 1300


def test_a_failing_version_needs_a_recorded_override(service):
    failing = _ppo_text().replace(
        "  individual: 4000\n  family: 8000", "  individual: 10600.01\n  family: 21200"
    )
    refused = service.client.post(
        "/v1/plans/publish", json={"file": failing}, headers=service.headers(Role.ANALYST)
    )
    assert refused.status_code == 422
    failures = refused.json()["extra"]["compliance"]["failures"]
    assert failures
    override = {
        "reason": "approved exception for the test",
        "approved_by": "compliance officer",
        "checks": failures,
    }
    accepted = service.client.post(
        "/v1/plans/publish",
        json={"file": failing, "tests": _ppo_tests("10"), "override": override},
        headers=service.headers(Role.ANALYST),
    )
    assert accepted.status_code == 201, accepted.text
    with service.runtime.sql.reader.connect() as conn:
        actions = [row.action for row in conn.execute(text("SELECT action FROM audit_log"))]
    assert "compliance-override" in actions


def test_a_version_failing_its_plan_tests_needs_a_recorded_override(service):
    # one copay changed by mistake: the shipped tests catch it and name the scenario
    wrong = _ppo_text("11")
    refused = service.client.post(
        "/v1/plans/publish", json={"file": wrong}, headers=service.headers(Role.ANALYST)
    )
    assert refused.status_code == 422
    tests = refused.json()["extra"]["plan_tests"]
    [failure] = tests["failures"]
    scenario = "PPO-SILVER@2026.1/tier 1 at retail 90 and by mail"
    assert failure["scenario"] == scenario
    assert "claim 2: patient_pay expected $10.00, got $11.00" in failure["message"]
    unnamed = service.client.post(
        "/v1/plans/publish",
        json={
            "file": wrong,
            "tests_override": {"reason": "copay raised on purpose", "approved_by": "benefits lead"},
        },
        headers=service.headers(Role.ANALYST),
    )
    assert unnamed.status_code == 422
    assert scenario in unnamed.json()["detail"]
    accepted = service.client.post(
        "/v1/plans/publish",
        json={
            "file": wrong,
            "tests_override": {
                "reason": "copay raised on purpose",
                "approved_by": "benefits lead",
                "scenarios": [scenario],
            },
        },
        headers=service.headers(Role.ANALYST),
    )
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["validation"]["plan_tests"]["overridden"]
    with service.runtime.sql.reader.connect() as conn:
        rows = conn.execute(
            text("SELECT action, detail FROM audit_log WHERE action = 'plan-tests-override'")
        ).all()
    assert len(rows) == 1
    assert "copay raised on purpose" in rows[0].detail
    assert scenario in rows[0].detail


def test_a_new_version_without_tests_is_refused(service):
    new = (
        _ppo_text()
        .replace('version: "2026.1"', 'version: "2026.2"', 1)
        .replace("  from: 2026-01-01\n  to: 2026-12-31", "  from: 2027-01-01\n  to: 2027-12-31")
    )
    refused = service.client.post(
        "/v1/plans/publish", json={"file": new}, headers=service.headers(Role.ANALYST)
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["extra"]["plan_tests"]["untested"] == ["PPO-SILVER@2026.2"]


def test_dry_run_lists_claims_the_candidate_changes(service):
    headers = service.headers(Role.SWITCH)
    assert _patient_pay(service.client, headers, 31) == 1000
    response = service.client.post(
        "/v1/plans/dry-run",
        content=_ppo_text("15"),
        params={"from": "2026-03-01", "to": "2026-03-31"},
        headers=service.headers(Role.ANALYST),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["replayed"] == 1
    [difference] = body["differences"]
    assert (difference["current_patient_pay"], difference["candidate_patient_pay"]) == (1000, 1500)
    assert _patient_pay(service.client, headers, 32) == 1000


def test_other_workers_reload_when_the_generation_changes(service, tmp_path):
    settings = Settings.from_env()
    other = build_runtime(settings)
    with TestClient(create_app(other, KeyStore.load(settings.api_keys_file))) as second:
        headers = service.headers(Role.SWITCH)
        assert _patient_pay(second, headers, 41, reverse=True) == 1000
        published = service.client.post(
            "/v1/plans/publish",
            json={"file": _ppo_text("14"), "tests": _ppo_tests("14")},
            headers=service.headers(Role.ANALYST),
        )
        assert published.status_code == 201
        deadline = time.monotonic() + 10
        pays = []
        rx = 42
        while time.monotonic() < deadline:
            rx += 1
            pays.append(_patient_pay(second, headers, rx, reverse=True))
            if pays[-1] == 1400:
                break
            time.sleep(0.2)
        assert pays[-1] == 1400
        assert set(pays) <= {1000, 1400}


def test_a_slow_reload_cannot_bring_back_a_rolled_back_version(service, monkeypatch):
    # The worker's own watcher may still be loading the catalog of the publication when
    # the rollback swaps in the catalog without it; the older load must not win.
    headers, analyst = service.headers(Role.SWITCH), service.headers(Role.ANALYST)
    publishing = service.client.app.state.publishing
    published = service.client.post(
        "/v1/plans/publish",
        json={"file": _ppo_text("12"), "tests": _ppo_tests("12")},
        headers=analyst,
    )
    assert published.status_code == 201, published.text
    loaded, release = threading.Event(), threading.Event()
    real_load = api.publishing.load_settings_catalog

    def load_then_wait_in_the_watcher(settings):
        catalog = real_load(settings)
        if threading.current_thread().name == "stale-reload":
            loaded.set()
            release.wait(30)
        return catalog

    monkeypatch.setattr(api.publishing, "load_settings_catalog", load_then_wait_in_the_watcher)
    stale = threading.Thread(target=publishing.reload, name="stale-reload")
    stale.start()
    assert loaded.wait(30)  # it has read the generation with the $12 version in force
    rolled = service.client.post(
        "/v1/plans/rollback", json={"id": "PPO-SILVER", "reason": "wrong copay"}, headers=analyst
    )
    assert rolled.status_code == 200
    release.set()
    stale.join(30)
    assert _patient_pay(service.client, headers, 51) == 1000
