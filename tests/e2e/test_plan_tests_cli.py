"""``rxadj test-plans``, ``rxadj validate`` and ``rxadj plans publish`` on plan tests."""

import json
from xml.etree import ElementTree

import pytest
from typer.testing import CliRunner
from unit.plantests.support import copy_with_hmo_copay

from api.cli import app

from conftest import REPO

PPO_MAIL = "    mail: {copay: 10}"
FAILING = "PPO-SILVER@2026.1/tier 1 at retail 90 and by mail"


@pytest.fixture
def cli(monkeypatch):
    monkeypatch.setenv("COLUMNS", "220")
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))


@pytest.fixture
def broken(tmp_path, monkeypatch):
    """Plans where HMO Gold's tier 2 retail copay is $40 instead of $35."""
    plans, rules = copy_with_hmo_copay(tmp_path, "40")
    monkeypatch.setenv("RXADJ_PLANS_DIR", str(plans))
    monkeypatch.setenv("RXADJ_RULES_DIR", str(rules))


def test_the_shipped_plans_pass(cli):
    result = cli("test-plans", "HMO-GOLD", "PDP-STANDARD@2026.1")
    assert result.exit_code == 0, result.output
    assert "HMO-GOLD@2026.1: everything exercised" in result.output
    assert "PDP-STANDARD@2026.1 not exercised:" in result.output
    assert "edits: channel-not-covered, dependent-age-limit" in result.output
    assert "PPO-SILVER" not in result.output
    assert ", 0 failed" in result.output


def test_one_changed_copay_fails_naming_scenario_field_expected_and_actual(cli, broken, tmp_path):
    junit = tmp_path / "plan-tests.xml"
    result = cli("test-plans", "HMO-GOLD", "--junit", str(junit))
    assert result.exit_code == 1
    # $200 of the $250 deductible met: Glucophage $300 is $50 + the tier 2 copay
    assert "FAIL HMO-GOLD@2026.1 'deductible straddled after earlier spending'" in result.output
    assert "claim 1: patient_pay expected $85.00, got $90.00" in result.output
    assert "claim 1: copay expected $35.00, got $40.00" in result.output
    assert "copay $40.00 on $250.00 = $40.00" in result.output  # the claim's trace
    assert ", 7 failed" in result.output
    suite = ElementTree.parse(junit).getroot().find("testsuite")
    assert (suite.get("name"), suite.get("failures")) == ("HMO-GOLD@2026.1", "7")


def test_validate_runs_the_plan_tests(cli, broken):
    result = cli("validate")
    assert result.exit_code == 1
    assert "claim 1: patient_pay expected $85.00, got $90.00" in result.output
    assert ", 7 failed" in result.output


def test_validate_passes_the_shipped_plans(cli):
    result = cli("validate")
    assert result.exit_code == 0, result.output
    assert ", 0 failed" in result.output


def test_no_test_file_for_a_named_plan_is_an_error(cli):
    result = cli("test-plans", "NO-SUCH-PLAN")
    assert result.exit_code == 1
    assert "no plan test files found for NO-SUCH-PLAN" in result.output


@pytest.fixture
def wrong_ppo(tmp_path, monkeypatch):
    """PPO Silver with its tier 1 mail copay at $11 instead of $10, ready to publish."""
    monkeypatch.setenv("RXADJ_PUBLISHED_DIR", str(tmp_path / "published"))
    text = (REPO / "plans" / "ppo-silver" / "2026.yaml").read_text()
    assert PPO_MAIL in text
    path = tmp_path / "ppo.yaml"
    path.write_text(text.replace(PPO_MAIL, "    mail: {copay: 11}"))
    return path


def test_publishing_refuses_a_version_that_fails_its_tests(cli, wrong_ppo, tmp_path):
    result = cli("plans", "publish", str(wrong_ppo))
    assert result.exit_code == 1
    assert (
        f"plan test failed: {FAILING}: claim 2: patient_pay expected $10.00, got $11.00"
        in result.output
    )
    assert "not published" in result.output
    assert not (tmp_path / "published" / "manifest.json").exists()


def test_an_override_names_the_failures_and_gives_a_reason(cli, wrong_ppo, tmp_path):
    vague = cli(
        "plans", "publish", str(wrong_ppo), "--accept-untested",
        "--reason", "copay raised", "--approved-by", "benefits lead",
    )  # fmt: skip
    assert vague.exit_code == 1
    assert "does not name failing scenarios" in vague.output
    accepted = cli(
        "plans", "publish", str(wrong_ppo), "--accept-scenario", FAILING,
        "--reason", "copay raised", "--approved-by", "benefits lead",
    )  # fmt: skip
    assert accepted.exit_code == 0, accepted.output
    assert "published plan PPO-SILVER@2026.1 as #1" in accepted.output


def test_a_version_published_with_its_tests_is_rolled_back_with_them(cli, wrong_ppo, tmp_path):
    tests = tmp_path / "ppo.tests.yaml"
    tests.write_text(
        """kind: plan-tests
plan: PPO-SILVER
version: "2026.1"
date_of_service: 2026-03-02
scenarios:
  - name: tier 1 by mail
    accumulators: {"001": {deductible: 500}}
    claims:
      - {ndc: "90100100101", quantity: "90", days_supply: 90, pharmacy: mail,
         usual_and_customary: 30}
    expect:
      - {status: P, patient_pay: 11.00, plan_pay: 19.00}
"""
    )
    published = cli("plans", "publish", str(wrong_ppo), "--tests", str(tests))
    assert published.exit_code == 0, published.output
    manifest = tmp_path / "published" / "manifest.json"
    entries = json.loads(manifest.read_text())["publications"]
    assert [(p["kind"], p["companion_of"]) for p in entries] == [
        ("plan", None),
        ("plan-tests", 1),
    ]
    rolled = cli("plans", "rollback", "PPO-SILVER", "--reason", "wrong copay")
    assert rolled.exit_code == 0, rolled.output
    entries = json.loads(manifest.read_text())["publications"]
    assert all(p["retired"] for p in entries)
