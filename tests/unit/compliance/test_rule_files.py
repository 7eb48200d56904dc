"""Mandate rule files load through the catalog like every other file, errors at file:line."""

import datetime as dt
import shutil

import pytest

from engine.catalog.loader import load_catalog
from engine.compliance.citation import Confidence
from engine.compliance.library import MandateLibrary, RuleSet
from engine.sourcefile import SourceFileError

from .support import mandate_catalog, plan_variant
from conftest import REPO

ACA = "rules/compliance/federal/aca-cost-sharing.yaml"
INSULIN = "rules/compliance/states/insulin-caps.yaml"


def test_every_shipped_rule_file_loads_with_a_citation_on_every_rule():
    library = mandate_catalog().mandates
    assert library.ids == (
        "aca-cost-sharing@2026.1",
        "hdhp-hsa@2026.1",
        "medicare-part-d@2026.1",
        "state-accumulator-bans@2026.1",
        "state-drug-caps@2026.1",
        "state-insulin-caps@2026.1",
        "state-point-of-sale@2026.1",
    )
    for rule_set in library.rule_sets:
        for _, _, rule in rule_set.file.rules():
            citation = rule.citation
            assert citation.law
            assert citation.reference.startswith("mandates.md §")
            assert citation.sources
            assert citation.binding == (
                citation.status.verified
                and (citation.applicability_status or citation.status).verified
            )


def test_only_verified_labels_are_binding():
    assert Confidence("VERIFIED-PRIMARY").verified
    assert Confidence("VERIFIED-SECONDARY").verified
    assert not Confidence("SINGLE-SOURCE").verified
    assert not Confidence("UNVERIFIED").verified


@pytest.fixture
def workspace(tmp_path):
    shutil.copytree(REPO / "rules", tmp_path / "rules")
    return tmp_path


def _errors(workspace):
    with pytest.raises(SourceFileError) as caught:
        load_catalog([REPO / "plans", workspace / "rules"])
    return [str(issue) for issue in caught.value.issues]


def _edit(workspace, name, old, new):
    path = workspace / name
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))
    probe = next((text for text in new.splitlines() if text not in old), new)
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if probe in text)
    return path, line


def test_a_misspelt_key_is_located_with_a_suggestion(workspace):
    path, line = _edit(workspace, ACA, "    self_only: 10600", "    self_onyl: 10600")
    errors = _errors(workspace)
    assert any(e.startswith(f"{path}:{line}:") and "did you mean 'self_only'" in e for e in errors)


def test_a_family_limit_that_is_not_twice_self_only_is_located(workspace):
    path, line = _edit(workspace, ACA, "other_than_self_only: 21200", "other_than_self_only: 21100")
    [error] = _errors(workspace)
    assert error.startswith(f"{path}:{line}:")
    assert "twice self_only" in error


def test_two_figures_for_one_plan_year_are_refused(workspace):
    path, line = _edit(
        workspace,
        ACA,
        "plan_years: {from: 2027-01-01, to: 2027-12-31}",
        "plan_years: {from: 2026-06-01, to: 2027-12-31}",
    )
    [error] = _errors(workspace)
    assert error.startswith(f"{path}:{line}:")
    assert "overlap those of aca-moop-2026" in error


def test_a_rule_outside_its_file_range_is_refused(workspace):
    path, line = _edit(
        workspace,
        ACA,
        "plan_years: {from: 2014-01-01, to: 2014-12-31}",
        "plan_years: {from: 2013-01-01, to: 2014-12-31}",
    )
    [error] = _errors(workspace)
    assert error.startswith(f"{path}:{line}:")
    assert "outside the file's effective range" in error


def test_credits_deductible_needs_a_drug_that_skips_the_deductible(workspace):
    path, line = _edit(
        workspace,
        INSULIN,
        "    deductible: counted_in_cap\n    citation:\n      law: C.R.S.",
        "    deductible: counted_in_cap\n    credits_deductible: true\n    citation:\n"
        "      law: C.R.S.",
    )
    [error] = _errors(workspace)
    assert error.startswith(f"{path}:{line}:")
    assert "credits_deductible is for drugs that skip the deductible" in error


def test_a_state_rule_without_its_state_is_refused(workspace):
    path, _ = _edit(workspace, INSULIN, "    state: CO\n", "    # no state\n")
    [error] = _errors(workspace)
    assert error.startswith(f"{path}:")
    assert "a state rule names its state" in error


def test_an_unknown_confidence_label_is_refused(workspace):
    path, line = _edit(workspace, INSULIN, "status: VERIFIED-PRIMARY", "status: VERIFIED")
    errors = _errors(workspace)
    assert any(e.startswith(f"{path}:{line}:") and "VERIFIED-PRIMARY" in e for e in errors)


def test_overlapping_versions_of_one_rule_set_are_refused(workspace):
    copy = workspace / "rules" / "compliance" / "federal" / "aca-cost-sharing-2.yaml"
    copy.write_text((workspace / ACA).read_text().replace('version: "2026.1"', 'version: "2026.2"'))
    errors = _errors(workspace)
    assert any("mandates aca-cost-sharing versions" in e and "overlap in time" in e for e in errors)


def test_a_new_rule_set_version_governs_only_the_plan_years_it_covers(workspace):
    # a 2028 version beside the shipped one: 2027 plans keep the old figures
    later = workspace / "rules" / "compliance" / "federal" / "aca-2028.yaml"
    later.write_text(
        "kind: mandates\nmandates: aca-cost-sharing\nversion: '2028.1'\n"
        "effective: {from: 2028-01-01, to: 2028-12-31}\ntitle: ACA 2028 (test)\n"
        "jurisdiction: federal\napplies_to: {plan_types: [PPO], markets: [large_group], "
        "funding: [self_funded]}\nout_of_pocket_limits:\n  - id: aca-moop-2028\n"
        "    title: test\n    plan_years: {from: 2028-01-01, to: 2028-12-31}\n"
        "    self_only: 12500\n    other_than_self_only: 25000\n"
        "    citation: {law: test, status: UNVERIFIED, reference: mandates.md §1.1, "
        "sources: [{title: test}]}\n"
    )
    catalog = load_catalog([REPO / "plans", workspace / "rules"])
    library = catalog.mandates
    assert "aca-cost-sharing@2028.1" in library.ids
    for year, expected in ((2027, "aca-cost-sharing@2026.1"), (2028, "aca-cost-sharing@2028.1")):
        plan = plan_variant(
            "ppo-silver/2026",
            effective={"from": dt.date(year, 1, 1), "to": dt.date(year, 12, 31)},
        )
        assert [s.id for s in library.in_force(plan).rule_sets] == [expected]


def test_an_empty_library_reaches_no_plan():
    plan = plan_variant("ppo-silver/2026")
    in_force = MandateLibrary().in_force(plan)
    assert (in_force.rule_sets, in_force.federal_sets, in_force.gaps) == ((), (), ())
    assert isinstance(mandate_catalog().mandates.rule_sets[0], RuleSet)
