"""Reconciliation through the real app: finance loads, runs, looks up, corrects, reports."""

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from sqlalchemy import select

from api.http.keys import Role
from engine.reconcile.claims import read_claim_csv
from engine.reconcile.sql import load_claims
from engine.reconcile.sql.tables import AUDIT

DATA = Path(__file__).resolve().parents[1] / "data" / "reconcile"


@pytest.fixture
def loaded(service):
    """The hand-built claims, judged by the shipped tolerance rules (same figures)."""
    runtime = service.runtime
    with (DATA / "claims.csv").open(newline="") as handle, runtime.sql.engine.begin() as conn:
        load_claims(
            conn,
            read_claim_csv(handle),
            source="claims.csv",
            actor="t",
            aging_date=dt.date(2026, 3, 31),
        )
    return service


def _post_file(service, name, role=Role.FINANCE):
    return service.client.post(
        f"/v1/recon/payments?name={name}",
        content=(DATA / name).read_bytes(),
        headers={**service.headers(role), "Content-Type": "text/plain"},
    )


def test_only_finance_may_reconcile(service):
    assert service.client.get("/v1/recon/items").status_code == 401
    assert (
        service.client.get("/v1/recon/items", headers=service.headers(Role.SWITCH)).status_code
        == 403
    )
    assert (
        service.client.get("/v1/recon/items", headers=service.headers(Role.FINANCE)).status_code
        == 200
    )


def test_load_run_lookup_correct_report(loaded):
    service = loaded
    response = _post_file(service, "remit.835")
    assert response.status_code == 200, response.text
    assert response.json()["claims"] == 18
    assert _post_file(service, "remit.835").status_code == 422  # the same file twice
    run = service.client.post("/v1/recon/runs", headers=service.headers(Role.FINANCE))
    assert run.status_code == 200, run.text
    assert run.json()["counts"]["partial_accepted"] == 5
    found = service.client.get(
        "/v1/recon/items?store=1234567893&rx=102", headers=service.headers(Role.FINANCE)
    ).json()["items"]
    assert [(i["status"], i["amount_paid"]) for i in found] == [("open", 0)]
    item_id = found[0]["id"]
    patch = service.client.patch(
        f"/v1/recon/items/{item_id}",
        json={"changes": {"amount_due": "474.99"}, "reason": "contract rate"},
        headers=service.headers(Role.FINANCE),
    )
    assert patch.status_code == 200, patch.text
    assert patch.json()["before"] == {"amount_due": 50_000}
    with service.runtime.sql.engine.connect() as conn:
        actor = conn.execute(
            select(AUDIT.c.actor).where(AUDIT.c.action == "recon.correct")
        ).scalar_one()
    assert actor.startswith("test finance (")
    refused = service.client.patch(
        f"/v1/recon/items/{item_id}",
        json={"changes": {"store": "X"}, "reason": "no"},
        headers=service.headers(Role.FINANCE),
    )
    assert refused.status_code == 422
    report = service.client.get("/v1/recon/reports/accepted", headers=service.headers(Role.FINANCE))
    assert report.status_code == 200
    rows = list(csv.DictReader(io.StringIO(report.text)))
    assert rows[-1]["line"] == "total grand"
    pdf = service.client.get(
        "/v1/recon/reports/aging-summary/pdf?as_of=2026-05-15",
        headers=service.headers(Role.FINANCE),
    )
    assert pdf.content.startswith(b"%PDF")
    assert (
        service.client.get(
            "/v1/recon/reports/nope", headers=service.headers(Role.FINANCE)
        ).status_code
        == 404
    )


def test_a_malformed_file_is_refused_with_its_line_and_segment(loaded):
    response = _post_file(loaded, "malformed.835")
    assert response.status_code == 422
    problems = response.json()["extra"]["problems"]
    assert problems == [
        'line 92, segment CLP #92, element CLP04: Data element "Claim Payment Amount" '
        "(CLP04) is type R, contains an invalid character(12X5.00)"
    ]
    items = loaded.client.get("/v1/recon/items?rx=202", headers=loaded.headers(Role.FINANCE))
    assert items.json()["items"][0]["status"] == "open"
