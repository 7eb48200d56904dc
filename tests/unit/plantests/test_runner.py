"""The runner: real adjudication of each scenario, field-by-field comparison."""

from engine.plantests.runner import select_tests

from .conftest import run

HMO = """
    kind: plan-tests
    plan: HMO-GOLD
    version: "2026.1"
    date_of_service: 2026-03-02
    scenarios:
"""


def test_a_passing_scenario_reports_no_mismatch(shipped):
    # amlodipine $20 at retail: tier 1 skips the deductible, $10 copay
    [result] = run(
        shipped,
        HMO
        + """
      - name: generic
        claims: [{ndc: "90100100001", usual_and_customary: 20}]
        expect: [{status: P, patient_pay: 10.00, plan_pay: 10.00, deductible: 0}]
    """,
    )
    assert result.passed
    assert [c.passed for c in result.claims] == [True]
    assert result.decisions[0].figures.patient_pay == 1000


def test_each_differing_field_is_named_with_expected_and_actual(shipped):
    [result] = run(
        shipped,
        HMO
        + """
      - name: wrong copay
        claims: [{ndc: "90100100001", usual_and_customary: 20}]
        expect: [{status: P, patient_pay: 15.00, plan_pay: 10.00, copay: 15.00,
                  remaining_out_of_pocket: 2990.00}]
    """,
    )
    assert not result.passed
    [claim] = result.claims
    assert [(m.field, m.expected, m.actual) for m in claim.mismatches] == [
        ("patient_pay", "$15.00", "$10.00"),
        ("copay", "$15.00", "$10.00"),
    ]


def test_status_and_reject_codes_are_compared_in_order(shipped):
    # Ambien, 60 tablets for a 16-year-old: quantity limit (320) before age (340)
    [result] = run(
        shipped,
        HMO
        + """
      - name: two rejects
        family: {persons: [{person_code: "001", relationship: "3", date_of_birth: 2010-03-02}]}
        claims: [{ndc: "90200201801", quantity: "60"}]
        expect: [{status: R, rejects: ["60", "76"]}]
    """,
    )
    [claim] = result.claims
    assert [(m.field, m.expected, m.actual) for m in claim.mismatches] == [
        ("rejects", "60 76", "76 60")
    ]


def test_accumulators_history_and_family_shape_the_outcome(shipped):
    # 001 met $250 of the $500 family deductible with Glucophage $300 ($250 + $35);
    # 002 was seeded with $200: the family has $50 left, then the $35 copay
    [result] = run(
        shipped,
        HMO
        + """
      - name: family
        family:
          persons:
            - {person_code: "001"}
            - {person_code: "002", relationship: "2", gender: M}
        accumulators: {"002": {deductible: 200, out_of_pocket: 200}}
        history:
          - {ndc: "90200200401", usual_and_customary: 300}
        claims:
          - {ndc: "90200200301", person: "002", usual_and_customary: 200}
        expect:
          - {status: P, patient_pay: 120.00, deductible: 50.00, copay: 70.00,
             remaining_deductible: 0}
    """,
    )
    assert result.passed, [m for c in result.claims for m in c.mismatches]


def test_medical_accumulators_are_seeded_for_integrated_plans(shipped):
    # EPO: $1,000 of the integrated deductible met on medical claims; Cozaar $800
    # takes the other $500, then 40% of $300 = $120
    [result] = run(
        shipped,
        """
    kind: plan-tests
    plan: EPO-INTEGRATED
    version: "2026.1"
    date_of_service: 2026-03-02
    scenarios:
      - name: medical
        accumulators: {"001": {medical_deductible: 1000}}
        claims: [{ndc: "90200200301", usual_and_customary: 800}]
        expect: [{status: P, patient_pay: 620.00, deductible: 500.00}]
    """,
    )
    assert result.passed, [m for c in result.claims for m in c.mismatches]


def test_a_rejected_earlier_claim_is_a_problem_not_a_silent_pass(shipped):
    [result] = run(
        shipped,
        HMO
        + """
      - name: bad history
        history: [{ndc: "99999999999"}]
        claims: [{ndc: "90100100001", usual_and_customary: 20}]
        expect: [{status: P, patient_pay: 10.00}]
    """,
    )
    assert not result.passed
    assert result.problems == ("earlier claim 1 was rejected (54)",)


def test_an_unknown_omitted_field_is_reported(shipped):
    [result] = run(
        shipped,
        HMO
        + """
      - name: omit
        claims: [{ndc: "90100100001", omit: [prescriber]}]
        expect: [{status: R}]
    """,
    )
    assert result.problems == ("omit names unknown claim fields: prescriber",)


def test_a_version_that_is_not_loaded_fails_every_scenario(shipped):
    results = run(
        shipped,
        """
    kind: plan-tests
    plan: HMO-GOLD
    version: "2031.1"
    scenarios:
      - name: one
        claims: [{ndc: "90100100001"}]
        expect: [{status: P}]
    """,
    )
    assert [r.problems for r in results] == [("plan HMO-GOLD version 2031.1 is not loaded",)]


def test_uncovered_persons_are_rejected_as_not_covered(shipped):
    [result] = run(
        shipped,
        HMO
        + """
      - name: uncovered
        family:
          persons: [{person_code: "001"}, {person_code: "002", relationship: "2"}]
          uncovered: ["002"]
        claims: [{ndc: "90100100001", person: "002"}, {ndc: "90100100001"}]
        expect: [{status: R, rejects: ["65"]}, {status: P}]
    """,
    )
    assert result.passed, [m for c in result.claims for m in c.mismatches]


def test_tests_are_selected_by_plan_or_version(shipped):
    def chosen(*names):
        return sorted(f"{f.plan}@{f.version}" for f, _, _ in select_tests(shipped, names))

    assert chosen("PDP-STANDARD") == ["PDP-STANDARD@2025.1", "PDP-STANDARD@2026.1"]
    assert chosen("HDHP-HSA@2026.1") == ["HDHP-HSA@2026.1"]
    assert len(chosen()) == 7
