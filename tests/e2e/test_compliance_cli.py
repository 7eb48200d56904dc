"""``rxadj compliance``: table, JSON, HTML report, and exit codes that can gate publishing."""

import json
import shutil

import pytest
from typer.testing import CliRunner

from api.cli import app

from conftest import REPO, catalog_paths_for_tests

VIOLATING = REPO / "tests" / "unit" / "compliance" / "data"


def with_violating() -> list[str]:
    """``--catalog`` arguments for the shipped plans plus the plans that break mandates."""
    paths = [*catalog_paths_for_tests(), VIOLATING]
    return [arg for path in paths for arg in ("--catalog", str(path))]


@pytest.fixture
def run(monkeypatch):
    monkeypatch.setenv("COLUMNS", "220")
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, ["compliance", *args])

    return invoke


def test_passing_plan_prints_a_table_and_exits_0(run):
    result = run("EPO-INTEGRATED")
    assert result.exit_code == 0, result.output
    for text in (
        "EPO-INTEGRATED@2026.1",
        "plan year 2026-01-01",
        "Out-of-pocket maximum, self-only coverage",
        "$6,000.00",
        "at most $10,600.00",
        "VERIFIED-SECONDARY",
        "aca-cost-sharing@2026.1#aca-moop-2026",
        "all 1 plan versions pass",
    ):
        assert text in result.output, text


def test_shipped_plans_all_pass(run):
    result = run()
    assert result.exit_code == 0, result.output
    assert "all 7 plan versions pass" in result.output
    assert "FAIL" not in result.output
    assert "pass*" in result.output  # the HDHP's advisory checks


def test_a_failing_version_exits_1_and_is_named(run):
    result = run("MAND-CO", "HMO-GOLD", *with_violating())
    assert result.exit_code == 1
    assert "1 of 2 plan versions fail: MAND-CO@test.1" in result.output
    assert "FAIL" in result.output


def test_json_output_is_the_whole_report(run):
    result = run("PDP-STANDARD", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert [p["version"] for p in report["plans"]] == ["2025.1", "2026.1"]
    threshold = next(
        c for c in report["plans"][1]["checks"] if c["id"].endswith("/out-of-pocket-threshold")
    )
    assert (threshold["value_cents"], threshold["limit_cents"]) == (210000, 210000)
    assert threshold["citation"]["reference"] == "mandates.md §3.1"
    failing = run("MAND-CO@test.1", "--json", *with_violating())
    assert failing.exit_code == 1
    # insulin at 50% coinsurance has no ceiling in either retail channel, nothing caps
    # the period's total, and the plan runs a copay accumulator Colorado bans
    assert json.loads(failing.output)["plans"][0]["failures"] == [
        "state-insulin-caps@2026.1#co-insulin-2020/tier-2/retail_30",
        "state-insulin-caps@2026.1#co-insulin-2020/tier-2/retail_90",
        "state-insulin-caps@2026.1#co-insulin-2020/all-prescriptions",
        "state-accumulator-bans@2026.1#co-accumulator-ban/assistance",
    ]


def test_report_file_is_written_for_filing(run, tmp_path):
    target = tmp_path / "compliance.html"
    plans = ("MAND-CO", "HMO-GOLD", "EPO-INTEGRATED")
    result = run(*plans, "--report", str(target), *with_violating())
    assert result.exit_code == 1
    page = target.read_text(encoding="utf-8")
    assert "MAND-CO@test.1" in page
    assert "HMO-GOLD@2026.1" in page
    assert "EPO-INTEGRATED@2026.1" in page
    assert "C.R.S. 10-16-151" in page
    assert f"report written to {target}" in result.output


def test_violating_test_plans_fail_through_another_catalog(run):
    result = run("MAND-LA", *with_violating())
    assert result.exit_code == 1
    assert "la-specialty-2015" in result.output


def test_unknown_plan_exits_2(run):
    result = run("NOPE")
    assert result.exit_code == 2
    assert "no plan version 'NOPE' is loaded" in result.output


def test_rule_files_that_do_not_load_exit_2(run, tmp_path):
    shutil.copytree(REPO / "rules", tmp_path / "rules")
    broken = tmp_path / "rules" / "compliance" / "federal" / "aca-cost-sharing.yaml"
    broken.write_text(broken.read_text().replace("self_only: 10600", "self_only: lots", 1))
    result = run("--catalog", str(REPO / "plans"), "--catalog", str(tmp_path / "rules"))
    assert result.exit_code == 2
    assert "plans and rules do not load" in result.output
    assert str(broken) in result.output


def test_report_that_cannot_be_written_exits_2(run, tmp_path):
    result = run("EPO-INTEGRATED", "--report", str(tmp_path / "missing" / "r.html"))
    assert result.exit_code == 2
    assert "cannot write" in result.output
