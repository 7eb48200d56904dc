"""Test files and CSV scenarios: what loads, and every problem with its place."""

import textwrap

import pytest
from pydantic import ValidationError

from engine.catalog.loader import load_catalog
from engine.plantests.csvscenarios import load_csv_scenarios
from engine.sourcefile import SourceFileError

from .conftest import plan_test_file
from conftest import REPO

HEADER = """
    kind: plan-tests
    plan: HMO-GOLD
    version: "2026.1"
"""


@pytest.mark.parametrize(
    ("scenarios", "message"),
    [
        (
            """
      - name: a
        claims: [{ndc: "90100100001"}, {ndc: "90100100101"}]
        expect: [{status: P}]
    """,
            "2 claim(s) but 1 expectation(s)",
        ),
        (
            """
      - name: a
        claims: [{ndc: "90100100001", person: "002"}]
        expect: [{status: P}]
    """,
            "claim for person 002, not in the scenario's family",
        ),
        (
            """
      - name: a
        accumulators: {"003": {deductible: 10}}
        claims: [{ndc: "90100100001"}]
        expect: [{status: P}]
    """,
            "accumulators for person 003",
        ),
        (
            """
      - name: a
        claims: [{ndc: "90100100001"}]
        expect: [{status: P}]
      - name: a
        claims: [{ndc: "90100100001"}]
        expect: [{status: P}]
    """,
            "scenario names must be unique: a",
        ),
        (
            """
      - name: a
        claims: [{ndc: "90100100001", pharmacy: corner}]
        expect: [{status: P}]
    """,
            "pharmacy is one of retail, mail",
        ),
        (
            """
      - name: a
        claims: [{ndc: "9010010000"}]
        expect: [{status: P}]
    """,
            "String should match pattern",
        ),
    ],
)
def test_bad_scenarios_are_refused_with_the_reason(scenarios, message):
    with pytest.raises(ValidationError, match=None) as raised:
        plan_test_file(HEADER + "    scenarios:" + scenarios)
    assert message in str(raised.value)


def test_a_file_needs_scenarios_or_a_csv():
    with pytest.raises(ValidationError, match="give scenarios, a csv file"):
        plan_test_file(HEADER)


def _csv(tmp_path, text):
    path = tmp_path / "scenarios.csv"
    path.write_text(textwrap.dedent(text).lstrip())
    return path


def test_csv_rows_group_into_scenarios_with_persons_and_accumulators(tmp_path):
    path = _csv(
        tmp_path,
        """
        scenario,person,relationship,member_date_of_birth,ndc,deductible_met,expect_status,expect_rejects,expect_patient_pay,note
        family,001,1,,90200200401,200,P,,85.00,$50 + $35
        family,003,3,2012-05-05,90200200301,,P,,70.00,
        alone,,,,90100100001,,R,79 60,,
        """,
    )
    family, alone = load_csv_scenarios(path)
    assert family.name == "family"
    assert [
        (p.person_code, p.relationship, str(p.date_of_birth)) for p in family.family.persons
    ] == [
        ("001", "1", "1980-01-01"),
        ("003", "3", "2012-05-05"),
    ]
    assert family.accumulators["001"].deductible == 20000
    assert "003" not in family.accumulators
    assert [(c.person, c.ndc) for c in family.claims] == [
        ("001", "90200200401"),
        ("003", "90200200301"),
    ]
    assert [e.patient_pay for e in family.expect] == [8500, 7000]
    assert alone.expect[0].rejects == ("79", "60")
    assert alone.claims[0].person == "001"


def test_csv_problems_name_the_line(tmp_path):
    path = _csv(
        tmp_path,
        """
        scenario,ndc,expect_status,expect_patient_pay
        ok,90100100001,P,10.00
        bad status,90100100001,Q,
        """,
    )
    with pytest.raises(SourceFileError) as raised:
        load_csv_scenarios(path)
    [issue] = raised.value.issues
    assert (issue.ref.line, "bad status" in issue.message) == (3, True)
    assert "expect.0.status" in issue.message


def test_csv_needs_its_required_columns(tmp_path):
    path = _csv(tmp_path, "scenario,ndc\nx,90100100001\n")
    with pytest.raises(SourceFileError, match="expect_status"):
        load_csv_scenarios(path)


def _catalog_with(tmp_path, tests_yaml, csv_text=None):
    (tmp_path / "hmo.tests.yaml").write_text(textwrap.dedent(tests_yaml))
    if csv_text is not None:
        (tmp_path / "hmo.csv").write_text(textwrap.dedent(csv_text).lstrip())
    paths = [REPO / "plans" / "hmo-gold" / "2026.yaml", REPO / "plans" / "formularies"]
    paths += [REPO / "plans" / "networks", REPO / "plans" / "prices", REPO / "rules"]
    return load_catalog([*paths, tmp_path / "hmo.tests.yaml"])


def test_a_test_file_joins_the_catalog_with_its_csv_scenarios(tmp_path):
    catalog = _catalog_with(
        tmp_path,
        """
        kind: plan-tests
        plan: HMO-GOLD
        version: "2026.1"
        csv: hmo.csv
        scenarios:
          - name: yaml
            claims: [{ndc: "90100100001"}]
            expect: [{status: P}]
        """,
        "scenario,ndc,expect_status\nfrom csv,90100100001,P\n",
    )
    [tests] = catalog.plan_tests
    assert [s.name for s in tests.scenarios] == ["yaml", "from csv"]


@pytest.mark.parametrize(
    ("tests_yaml", "csv_text", "message"),
    [
        (
            """
            kind: plan-tests
            plan: HMO-GOLD
            version: "2027.1"
            scenarios: [{name: a, claims: [{ndc: "90100100001"}], expect: [{status: P}]}]
            """,
            None,
            "plan HMO-GOLD has no version 2027.1 to test",
        ),
        (
            """
            kind: plan-tests
            plan: NO-SUCH-PLAN
            version: "2026.1"
            scenarios: [{name: a, claims: [{ndc: "90100100001"}], expect: [{status: P}]}]
            """,
            None,
            "test file names unknown plan 'NO-SUCH-PLAN'",
        ),
        (
            """
            kind: plan-tests
            plan: HMO-GOLD
            version: "2026.1"
            csv: hmo.csv
            scenarios: [{name: a, claims: [{ndc: "90100100001"}], expect: [{status: P}]}]
            """,
            "scenario,ndc,expect_status\na,90100100001,P\n",
            "scenario 'a' is named both here and in hmo.csv",
        ),
        (
            """
            kind: plan-tests
            plan: HMO-GOLD
            version: "2026.1"
            csv: missing.csv
            """,
            None,
            "missing.csv",
        ),
    ],
)
def test_test_files_that_cannot_run_are_load_errors(tmp_path, tests_yaml, csv_text, message):
    with pytest.raises(SourceFileError) as raised:
        _catalog_with(tmp_path, tests_yaml, csv_text)
    assert any(message in issue.message or message in str(issue) for issue in raised.value.issues)
