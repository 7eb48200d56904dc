"""The publishing gate: failing or missing tests refuse a version unless overridden."""

import pytest

from engine.catalog.loader import load_catalog
from engine.plantests.gate import (
    PlanTestOverride,
    PlanTestOverrideError,
    PlanTestOverrideRecord,
    gate_plan_tests,
)

from .support import copy_with_hmo_copay


class Log:
    def __init__(self):
        self.records: list[PlanTestOverrideRecord] = []

    def record_test_override(self, record):
        self.records.append(record)


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    """The shipped catalog with HMO Gold's tier 2 retail copay raised from $35 to $40."""
    return load_catalog(copy_with_hmo_copay(tmp_path_factory.mktemp("broken"), "40"))


def test_passing_tests_let_a_version_through(shipped):
    decision = gate_plan_tests(shipped, ["HMO-GOLD@2026.1"])
    assert (decision.allowed, decision.overridden, decision.failing) == (True, False, ())
    assert len(decision.results) > 40


def test_a_changed_copay_is_refused_naming_each_failing_scenario(broken):
    decision = gate_plan_tests(broken, ["HMO-GOLD@2026.1"])
    assert not decision.allowed
    # every scenario with a tier 2 retail 30 claim that reaches the copay
    assert decision.failing == (
        "HMO-GOLD@2026.1/brand meets the deductible, then copays only",
        "HMO-GOLD@2026.1/deductible straddled after earlier spending",
        "HMO-GOLD@2026.1/insulin skips the deductible",
        "HMO-GOLD@2026.1/Colorado's insulin cap counts every prescription of the period",
        "HMO-GOLD@2026.1/a reversed insulin fill gives its share of the cap back",
        "HMO-GOLD@2026.1/family embedded deductible",
        "HMO-GOLD@2026.1/PA: a tier exception prices at the approved tier",
    )


def test_an_override_must_name_every_failure_and_is_recorded(broken):
    failing = gate_plan_tests(broken, ["HMO-GOLD@2026.1"]).failing
    log = Log()
    partial = PlanTestOverride("new copay", "benefits lead", frozenset(failing[:1]))
    with pytest.raises(PlanTestOverrideError, match="does not name failing scenarios"):
        gate_plan_tests(broken, ["HMO-GOLD@2026.1"], partial, log)
    with pytest.raises(PlanTestOverrideError, match="needs a reason"):
        gate_plan_tests(broken, ["HMO-GOLD@2026.1"], PlanTestOverride(" ", "x", frozenset(failing)))
    with pytest.raises(PlanTestOverrideError, match="must be recorded"):
        gate_plan_tests(broken, ["HMO-GOLD@2026.1"], PlanTestOverride("r", "x", frozenset(failing)))
    assert log.records == []
    full = PlanTestOverride("new copay", "benefits lead", frozenset(failing))
    decision = gate_plan_tests(broken, ["HMO-GOLD@2026.1"], full, log)
    assert (decision.allowed, decision.overridden) == (True, True)
    [record] = log.records
    assert (record.reason, record.approved_by, record.failing) == (
        "new copay",
        "benefits lead",
        failing,
    )


def test_a_version_without_tests_needs_its_own_acceptance(shipped):
    decision = gate_plan_tests(shipped, ["HMO-GOLD@2027.1"])
    assert (decision.allowed, decision.untested) == (False, ("HMO-GOLD@2027.1",))
    log = Log()
    with pytest.raises(PlanTestOverrideError, match=r"no plan tests for HMO-GOLD@2027\.1"):
        gate_plan_tests(shipped, ["HMO-GOLD@2027.1"], PlanTestOverride("r", "a"), log)
    accepted = gate_plan_tests(
        shipped, ["HMO-GOLD@2027.1"], PlanTestOverride("r", "a", untested=True), log
    )
    assert accepted.allowed
    assert log.records[0].untested == ("HMO-GOLD@2027.1",)


def test_without_named_versions_every_test_file_runs(shipped):
    decision = gate_plan_tests(shipped, None)
    assert decision.allowed
    assert {(r.plan, r.version) for r in decision.results} == {
        ("HMO-GOLD", "2026.1"),
        ("PPO-SILVER", "2026.1"),
        ("EPO-INTEGRATED", "2026.1"),
        ("PDP-STANDARD", "2025.1"),
        ("PDP-STANDARD", "2026.1"),
        ("HDHP-HSA", "2025.1"),
        ("HDHP-HSA", "2026.1"),
    }
