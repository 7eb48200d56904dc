"""Coverage and JUnit reports of plan test results."""

from xml.etree import ElementTree

from engine.plantests.coverage import coverage
from engine.plantests.junit import junit_xml

from .conftest import run

PDP = """
    kind: plan-tests
    plan: PDP-STANDARD
    version: "2026.1"
    date_of_service: 2026-03-02
    scenarios:
      - name: deductible
        claims: [{ndc: "90200200301", usual_and_customary: 500}]
        expect: [{status: P, patient_pay: 500.00}]
      - name: excluded
        claims: [{ndc: "90600600201"}]
        expect: [{status: R, rejects: ["70"]}]
"""


def test_coverage_lists_every_cell_edit_and_feature_left_untested(shipped):
    results = run(shipped, PDP)
    [report] = coverage(shipped, results)
    assert (report.plan, report.version) == ("PDP-STANDARD", "2026.1")
    # 4 tiers x 4 channels; only Cozaar (tier 3) at retail 30 was paid
    assert len(report.cost_share) == 15
    assert "tier 3 retail_30" not in report.cost_share
    assert "tier 4 specialty" in report.cost_share
    assert "product-excluded" not in report.edits
    assert {"refill-too-soon", "prior-authorization-required"} <= set(report.edits)
    # the deductible was applied; the maximum and the insulin caps were never reached.
    # The plan's own insulin cap and the federal one are one feature: same drugs
    assert report.features == ("cost-sharing cap on insulin", "out-of-pocket maximum reached")
    assert not report.complete


def test_junit_has_a_suite_per_version_and_failures_with_their_fields(shipped):
    failing = PDP.replace("patient_pay: 500.00", "patient_pay: 125.00")
    results = run(shipped, failing)
    root = ElementTree.fromstring(junit_xml(results))
    [suite] = root.findall("testsuite")
    assert suite.get("name") == "PDP-STANDARD@2026.1"
    assert (suite.get("tests"), suite.get("failures")) == ("2", "1")
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert cases["excluded"].find("failure") is None
    failure = cases["deductible"].find("failure")
    assert failure.get("message") == "claim 1: patient_pay expected $125.00, got $500.00"
