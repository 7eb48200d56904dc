"""The checker on the shipped sample plans, and the failures that stop silent passes."""

import datetime as dt
import functools
import json

import pytest

from engine.catalog.loader import load_catalog
from engine.compliance.checker import (
    UnknownPlanError,
    check_plan,
    compliance_report,
    review_plan,
    select,
)
from engine.compliance.results import Outcome

from .support import check, for_year, mandate_catalog, plan_variant
from conftest import REPO


@functools.cache
def shipped():
    return load_catalog([REPO / "plans", REPO / "rules"])


# The expected outcome of every shipped plan version: all comply (HMO Gold's insulin cap
# bounds the member's whole 30-day supply, as Colorado's C.R.S. 10-16-151 requires).
EXPECTED_FAILURES = {
    "EPO-INTEGRATED@2026.1": [],
    "HDHP-HSA@2025.1": [],
    "HDHP-HSA@2026.1": [],
    "HMO-GOLD@2026.1": [],
    "PDP-STANDARD@2025.1": [],
    "PDP-STANDARD@2026.1": [],
    "PPO-SILVER@2026.1": [],
}


def test_shipped_plans_have_the_expected_outcome():
    report = compliance_report(shipped(), [], dt.date(2026, 7, 1))
    assert {plan.id: [c.id for c in plan.failures] for plan in report.plans} == EXPECTED_FAILURES
    assert report.passed


def test_shipped_plans_are_judged_by_the_rules_for_their_plan_year_and_state():
    by_id = {p.id: p for p in compliance_report(shipped(), [], dt.date(2026, 7, 1)).plans}
    epo = by_id["EPO-INTEGRATED@2026.1"]
    assert epo.rule_sets == (
        "aca-cost-sharing@2026.1",
        "state-accumulator-bans@2026.1",
        "state-insulin-caps@2026.1",
    )
    assert check(epo, "aca-moop-2026/self-only").limit == "at most $10,600.00"
    assert check(epo, "wa-insulin-2023/tier-2/retail_30").value == "$35.00 for 30 days"
    assert check(epo, "wa-accumulator-ban/assistance").passed
    hdhp = by_id["HDHP-HSA@2025.1"]
    assert check(hdhp, "aca-moop-2025/self-only").limit == "at most $9,200.00"
    # July plan years: the IRS calendar-year figures are shown as advisory
    assert {c.outcome for c in hdhp.checks if "hdhp-2025" in c.id} == {Outcome.ADVISORY_PASS}
    assert any("self-funded" in note for note in hdhp.notes)
    part_d = by_id["PDP-STANDARD@2025.1"]
    assert check(part_d, "part-d-2025/out-of-pocket-threshold").value == "$2,000.00"
    assert not [c for c in part_d.checks if "aca-" in c.id]
    hmo = by_id["HMO-GOLD@2026.1"]
    assert check(hmo, "co-insulin-2020/tier-3/mail").value == "$100.00 for 30 days"


def test_test_only_plan_passes():
    catalog = mandate_catalog()
    assert check_plan(catalog.plans["TEST-TIGHT"][0].plan, catalog) == ()


def test_the_violating_test_plans_fail_what_they_violate():
    catalog = mandate_catalog()
    failures = {}
    for plan_id in ("MAND-WA", "MAND-CO", "MAND-LA", "MAND-PDP"):
        found = check_plan(catalog.plans[plan_id][0].plan, catalog)
        failures[plan_id] = sorted(c.id.split("#")[1] for c in found)
    assert failures["MAND-WA"] == [
        "aca-embedded-self-only/per-person",
        "aca-moop-2026/other-than-self-only",
        "aca-moop-2026/self-only",
        "wa-accumulator-ban/assistance",
        "wa-insulin-2023/credits-deductible",
        "wa-insulin-2023/deductible",
        "wa-insulin-2023/tier-2/mail",
        "wa-insulin-2023/tier-2/retail_30",
        "wa-insulin-2023/tier-2/retail_90",
    ]
    assert "co-accumulator-ban/assistance" in failures["MAND-CO"]
    assert failures["MAND-LA"] == ["la-specialty-2015/tier-4/specialty"]
    assert "part-d-2026/out-of-pocket-threshold" in failures["MAND-PDP"]
    assert "part-d-insulin/deductible" in failures["MAND-PDP"]


def test_a_plan_year_without_figures_fails_rather_than_passes():
    plan = plan_variant("ppo-silver/2026", **for_year(2028))
    failures = [c.id for c in check_plan(plan, shipped())]
    assert failures == ["rules/gap/aca-cost-sharing/version"]


def test_a_catalog_without_mandate_rules_passes_nothing():
    bare = load_catalog([REPO / "plans", REPO / "rules" / "edits"])
    plan = bare.plans["PPO-SILVER"][0].plan
    assert [c.id for c in check_plan(plan, bare)] == ["rules/federal"]
    # ... and adjudication then enforces only the plan's own caps
    assert bare.plans["PPO-SILVER"][0].mandates.ceiling is None


def test_a_version_spanning_two_plan_years_fails():
    plan = plan_variant(
        "ppo-silver/2026", effective={"from": dt.date(2026, 1, 1), "to": dt.date(2027, 1, 31)}
    )
    [failure] = check_plan(plan, shipped())
    assert failure.id == "rules/one-plan-year"
    open_ended = plan_variant("ppo-silver/2026", effective={"to": None})
    assert [c.id for c in check_plan(open_ended, shipped())] == ["rules/one-plan-year"]


def test_caps_cannot_be_checked_without_the_formulary():
    # the test formulary starts in 2025: a 2024 Washington plan has nowhere to look
    plan = plan_variant("epo-integrated/2026", **for_year(2024))
    assert "rules/formulary" in [c.id for c in check_plan(plan, mandate_catalog())]


def test_selection_by_plan_and_by_version():
    catalog = shipped()
    assert [r.id for r in select(catalog, ["PDP-STANDARD"])] == [
        "PDP-STANDARD@2025.1",
        "PDP-STANDARD@2026.1",
    ]
    assert [r.id for r in select(catalog, ["PDP-STANDARD@2026.1", "PDP-STANDARD"])] == [
        "PDP-STANDARD@2026.1",
        "PDP-STANDARD@2025.1",
    ]
    assert len(select(catalog)) == 7
    with pytest.raises(UnknownPlanError, match="NOPE@1"):
        select(catalog, ["NOPE@1"])
    with pytest.raises(UnknownPlanError):
        select(catalog, ["HMO-GOLD@2099.1"])


def test_report_is_json_ready_with_cents_beside_text():
    report = compliance_report(shipped(), ["EPO-INTEGRATED"], dt.date(2026, 7, 1))
    data = json.loads(json.dumps(report.to_dict()))
    assert data["generated"] == "2026-07-01"
    assert "aca-cost-sharing@2026.1" in data["rule_sets"]
    [plan] = data["plans"]
    moop = next(c for c in plan["checks"] if c["id"].endswith("aca-moop-2026/self-only"))
    assert (moop["value_cents"], moop["limit_cents"], moop["outcome"]) == (600000, 1060000, "pass")
    assert moop["citation"]["status"] == "VERIFIED-SECONDARY"
    assert moop["citation"]["sources"][0]["url"].startswith("https://www.wtwco.com/")


def test_review_needs_no_catalog_entry_for_the_plan():
    # publishing checks a candidate version before it joins the catalog
    candidate = plan_variant("epo-integrated/2026", version="2026.2", name="candidate")
    report = review_plan(candidate, shipped())
    assert (report.id, report.passed) == ("EPO-INTEGRATED@2026.2", True)
