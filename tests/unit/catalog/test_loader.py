"""Loading the catalog: the shipped files load, and every kind of mistake is located."""

import shutil
from pathlib import Path

import pytest

from engine.catalog.loader import load_catalog
from engine.sourcefile import SourceFileError

REPO = Path(__file__).resolve().parents[3]


def test_shipped_plans_and_rules_load():
    catalog = load_catalog([REPO / "plans", REPO / "rules"])
    assert sorted(catalog.plans) == [
        "EPO-INTEGRATED",
        "HDHP-HSA",
        "HMO-GOLD",
        "PDP-STANDARD",
        "PPO-SILVER",
    ]
    assert [v.id for v in catalog.plans["PDP-STANDARD"]] == [
        "PDP-STANDARD@2025.1",
        "PDP-STANDARD@2026.1",
    ]
    formulary = catalog.formularies["STANDARD"][0]
    assert len(formulary.drugs) >= 200
    # a NADAC row fills the MAC a generic lacks in our own table
    assert catalog.prices["STANDARD"][0].get("90100100001").mac_unit is not None
    assert len(catalog.members) == 12  # sample-members.yaml 8, sample-cob-members.yaml 4


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A copy of the shipped plans and rules that a test may break."""
    shutil.copytree(REPO / "plans", tmp_path / "plans")
    shutil.copytree(REPO / "rules", tmp_path / "rules")
    return tmp_path


def _errors(workspace: Path) -> list[str]:
    with pytest.raises(SourceFileError) as caught:
        load_catalog([workspace / "plans", workspace / "rules"])
    return [str(issue) for issue in caught.value.issues]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_misspelt_key_names_file_line_and_suggestion(workspace):
    plan = workspace / "plans" / "hmo-gold" / "2026.yaml"
    _edit(plan, "dependent_max_age: 26", "dependant_max_age: 26")
    line = plan.read_text().splitlines().index("dependant_max_age: 26") + 1
    errors = _errors(workspace)
    assert len(errors) == 1
    assert errors[0].startswith(f"{plan}:{line}:1:")
    assert "dependent_max_age" in errors[0]


def test_condition_with_unknown_name_is_located_at_its_line(workspace):
    edits = workspace / "rules" / "edits" / "standard-2026.1.yaml"
    _edit(edits, "when: claim.quantity <= 0", "when: claim.quantiy <= 0")
    line = next(
        i for i, text in enumerate(edits.read_text().splitlines(), 1) if "claim.quantiy" in text
    )
    errors = _errors(workspace)
    # every plan version includes the set, so each reports the same located problem
    assert errors
    assert all(e.startswith(f"{edits}:{line}:") for e in errors)
    assert "did you mean 'claim.quantity'" in errors[0]


def test_missing_reference_is_reported(workspace):
    _edit(
        workspace / "plans" / "ppo-silver" / "2026.yaml", "network: NATIONAL", "network: REGIONAL"
    )
    assert any("no network named 'REGIONAL' is loaded" in e for e in _errors(workspace))


def test_overlapping_versions_are_refused(workspace):
    _edit(workspace / "plans" / "medicare-part-d" / "2025.yaml", "to: 2025-12-31", "to: 2026-01-31")
    assert any("versions 2025.1 and 2026.1 overlap" in e for e in _errors(workspace))


def test_bad_drug_table_cell_names_line_and_column(workspace):
    table = workspace / "plans" / "formularies" / "standard-2026.csv"
    lines = table.read_text().splitlines()
    lines[3] = lines[3].replace(",1,", ",one,", 1)
    table.write_text("\n".join(lines) + "\n")
    errors = _errors(workspace)
    assert errors == [f"{table}:4:1: column tier: expected a whole number, got 'one'"]


def test_money_with_fractions_of_a_cent_is_refused(workspace):
    _edit(workspace / "plans" / "hmo-gold" / "2026.yaml", "individual: 250", "individual: 250.005")
    assert any("fractions of a cent" in e for e in _errors(workspace))


def test_a_plan_disabling_an_unknown_rule_is_refused(workspace):
    _edit(
        workspace / "plans" / "epo-integrated" / "2026.yaml",
        "disable: [claim-too-old]",
        "disable: [claim-too-young]",
    )
    assert any("has no rule(s) claim-too-young" in e for e in _errors(workspace))


def test_hmo_covering_out_of_network_is_refused(workspace):
    _edit(
        workspace / "plans" / "hmo-gold" / "2026.yaml",
        "out_of_network: reject",
        "out_of_network: cover",
    )
    assert any("HMO plan does not cover out-of-network" in e for e in _errors(workspace))
