"""``rxadj prior-auths``: load, list and revoke on the ledger, and claims that use them."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from api.cli import app
from engine.adjudication.request import transmission_from_claims
from engine.ncpdp import encode

from conftest import make_claim

HEADER = "number,cardholder_id,person_code,ndc,start,end,lifts,quantity,per_days,approved_by\n"
OZEMPIC = "90300300601"


@pytest.fixture
def run(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))


def ozempic_claim(tmp_path, rx, pens):
    # sample member ZZH100002 (HMO Gold, born 1990-11-03): Ozempic needs a PA, 4 per 28 days
    claim = make_claim(
        "ZZT100001",
        "001",
        OZEMPIC,
        rx,
        cardholder_id="ZZH100002",
        date_of_birth=dt.date(1990, 11, 3),
        quantity=Decimal(pens),
        days_supply=28,
    )
    path = tmp_path / f"claim-{rx}.bin"
    path.write_bytes(encode(transmission_from_claims([claim])))
    return path


def adjudicate(run, path):
    result = run("adjudicate", str(path), "--received", "2026-03-02")
    assert result.exit_code == 0, result.output
    [decision] = json.loads(result.output)[0]["decisions"]
    return decision


def test_a_loaded_approval_pays_the_claim_until_it_is_revoked(run, tmp_path):
    assert [r["code"] for r in adjudicate(run, ozempic_claim(tmp_path, 1, 6))["rejects"]] == [
        "75",
        "76",
    ]
    approvals = tmp_path / "pas.csv"
    approvals.write_text(
        HEADER
        + "26030200009,ZZH100002,001,90300300601,2026-03-01,2026-12-31,"
        + "prior-authorization quantity-limit,6,28,R. SHAH\n"
    )
    loaded = run("prior-auths", "load", str(approvals))
    assert loaded.exit_code == 0, loaded.output
    assert "1 approvals: 1 added, 0 changed, 0 unchanged" in loaded.output
    paid = adjudicate(run, ozempic_claim(tmp_path, 2, 6))
    assert (paid["status"], paid["prior_authorization"]["number"]) == ("P", "26030200009")
    listed = run("prior-auths", "list", "ZZH100002")
    assert "26030200009" in listed.output
    assert "NDC 90300300601" in listed.output
    revoked = run(
        "prior-auths", "revoke", "26030200009", "--reason", "entered in error", "--on", "2026-03-01"
    )
    assert revoked.exit_code == 0, revoked.output
    # revoked as of Mar 1: the Mar 2 claim needs a PA again (and is too soon after rx 2)
    again = adjudicate(run, ozempic_claim(tmp_path, 3, 3))
    assert [r["code"] for r in again["rejects"]] == ["75", "79"]


def test_a_bad_file_loads_nothing_and_names_each_line(run, tmp_path):
    approvals = tmp_path / "pas.csv"
    approvals.write_text(
        HEADER
        + "1,ZZH100002,001,90300300601,2026-03-01,2026-12-31,prior-authorization,,,A\n"
        + "2,ZZH100002,001,90300300601,2026-03-01,2026-02-01,prior-authorization,,,A\n"
    )
    result = run("prior-auths", "load", str(approvals))
    assert result.exit_code == 1
    assert f"{approvals}:3:1: row: Value error, the approval ends (2026-02-01)" in result.output
    assert "nothing loaded" in result.output
    unknown = tmp_path / "unknown.csv"
    unknown.write_text(
        HEADER + "1,ZZX999999,001,90300300601,2026-03-01,2026-12-31,prior-authorization,,,A\n"
    )
    refused = run("prior-auths", "load", str(unknown))
    assert refused.exit_code == 1
    assert "PA 1: member ZZX999999-001 is not on file: nothing loaded" in refused.output
    assert (
        "no prior authorizations on file for ZZH100002"
        in run("prior-auths", "list", "ZZH100002").output
    )
    missing = run("prior-auths", "load", str(tmp_path / "nope.csv"))
    assert missing.exit_code == 2
