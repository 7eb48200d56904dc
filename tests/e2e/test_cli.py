"""The rxadj command line, run in process through typer's runner."""

import json
import shutil

import pytest
from typer.testing import CliRunner

from api.cli import app
from engine.adjudication.request import transmission_from_claims
from engine.ncpdp import encode

from conftest import REPO, make_claim


@pytest.fixture
def run(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    runner = CliRunner()

    def invoke(*args: str, stdin: bytes | None = None):
        return runner.invoke(app, list(args), input=stdin)

    return invoke


def test_validate_accepts_the_shipped_files(run):
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert "OK:" in result.output
    assert "213 NDCs" in result.output


def test_validate_reports_file_line_and_exits_1(run, tmp_path):
    shutil.copytree(REPO / "plans", tmp_path / "plans")
    plan = tmp_path / "plans" / "ppo-silver" / "2026.yaml"
    plan.write_text(
        plan.read_text().replace("coinsurance: 35%, minimum: 50", "coinsurance: 35, minimum: 50", 1)
    )
    line = next(
        i
        for i, text in enumerate(plan.read_text().splitlines(), 1)
        if "coinsurance: 35, minimum: 50" in text
    )
    result = run("validate", str(tmp_path / "plans"), str(REPO / "rules"))
    assert result.exit_code == 1
    assert f"{plan}:{line}:" in result.output
    assert "write percentages with a % sign" in result.output


def test_adjudicate_ncpdp_file_gives_json_decisions(run, tmp_path):
    claim = make_claim(
        "ZZT100001", "001", "90100100001", 77, cardholder_id="ZZH100002", date_of_birth=None
    )
    request = tmp_path / "b1.bin"
    request.write_bytes(encode(transmission_from_claims([claim])))
    result = run("adjudicate", str(request), "--received", "2026-03-02")
    assert result.exit_code == 0, result.output
    decisions = json.loads(result.output)[0]["decisions"]
    # the sample member ZZH100002 without a birth date: required field 09
    assert [r["code"] for r in decisions[0]["rejects"]] == ["09"]


def test_adjudicate_json_claim_and_unknown_bin_still_exit_0(run, tmp_path):
    claims = tmp_path / "claims.json"
    claims.write_text(
        json.dumps(
            [
                {
                    "transaction_code": "B1",
                    "bin": "610999",
                    "pcn": "RXADJHMO",
                    "service_provider_id": "1234567893",
                    "date_of_service": "2026-03-02",
                    "cardholder_id": "ZZH100002",
                    "group_id": "HMOGOLD01",
                    "person_code": "001",
                    "date_of_birth": "1990-11-03",
                    "rx_number": 1,
                    "fill_number": 0,
                    "ndc": "90100100001",
                    "quantity": "30",
                    "days_supply": 30,
                    "prescriber_id": "1234567893",
                    "usual_and_customary": "9.00",
                },
                {
                    "transaction_code": "B1",
                    "bin": "123456",
                    "pcn": "X",
                    "service_provider_id": "1234567893",
                    "date_of_service": "2026-03-02",
                    "rx_number": 2,
                    "fill_number": 0,
                },
            ]
        )
    )
    result = run("adjudicate", str(claims), "--received", "2026-03-02")
    assert result.exit_code == 0, result.output
    first, second = (entry["decisions"][0] for entry in json.loads(result.output))
    # amlodipine: the $10 copay exceeds the $9.00 usual and customary price
    assert first["status"] == "P"
    assert first["figures"]["patient_pay"] == "9.00"
    assert [r["code"] for r in second["rejects"]] == ["01"]


def test_adjudicate_ncpdp_output_is_response_bytes(run, tmp_path):
    request = tmp_path / "b1.bin"
    request.write_bytes(
        encode(
            transmission_from_claims(
                [
                    make_claim(
                        "ZZT100001",
                        "001",
                        "90100100001",
                        78,
                        cardholder_id="ZZH100002",
                        date_of_birth=None,
                    )
                ]
            )
        )
    )
    result = run("adjudicate", str(request), "-o", "ncpdp")
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"D0B11A")


def test_unreadable_input_exits_2_in_one_line(run, tmp_path):
    missing = run("adjudicate", str(tmp_path / "nope.bin"))
    assert missing.exit_code == 2
    assert len(missing.output.strip().splitlines()) == 1
    bad = tmp_path / "bad.json"
    bad.write_text('{"transaction_code": "B1", "bin": "12"}')
    result = run("adjudicate", str(bad))
    assert result.exit_code == 2
    assert "not a JSON claim" in result.output
    assert "Traceback" not in result.output


def test_demo_runs_every_step(run):
    result = run("demo")
    assert result.exit_code == 0, result.output
    for text in (
        "B1 D",
        "B2 A",
        "B2 S",
        "B3 P",
        "E1 A",
        "79",
        "75",
        "76",
        "7X",
        "MR",
        "PA 26030200006 added",
        "Accumulators after the demo",
        "payer 2 (carve_out)",
        "payer 3 (standard)",
    ):
        assert text in result.output
