"""Every shipped plan version has a test file, it passes, and it covers the plan."""

from engine.plantests.coverage import coverage
from engine.plantests.runner import run_plan_tests, select_tests

NEVER_FIRE = {
    # Part D has no dependents and a benefit for every tier in every channel
    ("PDP-STANDARD", "2025.1"): ("channel-not-covered", "dependent-age-limit"),
    ("PDP-STANDARD", "2026.1"): ("channel-not-covered", "dependent-age-limit"),
    # the PPO covers pharmacies outside its network
    ("PPO-SILVER", "2026.1"): ("pharmacy-out-of-network", "pharmacy-unknown"),
}


def test_every_plan_version_has_a_test_file(shipped):
    versions = {(r.plan.plan, r.plan.version) for v in shipped.plans.values() for r in v}
    tested = {(t.file.plan, t.file.version) for t in shipped.plan_tests}
    assert versions == tested


def test_the_shipped_test_files_pass_and_cover_every_path(shipped):
    results = run_plan_tests(shipped, select_tests(shipped, []))
    failures = [(r.plan, r.name, r.problems, [c.mismatches for c in r.claims]) for r in results]
    assert [f for f, r in zip(failures, results, strict=True) if not r.passed] == []
    for report in coverage(shipped, results):
        key = (report.plan, report.version)
        assert (report.cost_share, report.features) == ((), ()), key
        assert report.edits == NEVER_FIRE.get(key, ()), key
