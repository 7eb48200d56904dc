"""Catalogs of any size for benchmarks: the shipped plans over a generated formulary.

The formulary and price list get ``ndc_count`` NDCs (the shipped ones plus filler),
and the HMO plan can carry extra benefit rules, so a benchmark can show how the
cost of a claim grows — or does not — with formulary size and rule count.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from engine.catalog.catalog import Catalog
from engine.catalog.loader import load_catalog

REPO = Path(__file__).resolve().parents[1]
_TABLE_DIRS = ("formularies", "prices")


def _copy_tables(ndc_count: int, target: Path) -> None:
    source_drugs = REPO / "plans" / "formularies" / "standard-2026.csv"
    source_prices = REPO / "plans" / "prices" / "prices-2026.csv"
    (target / "formularies").mkdir(parents=True)
    (target / "prices").mkdir(parents=True)
    shutil.copy(REPO / "plans" / "formularies" / "standard-2026.yaml", target / "formularies")
    prices_yaml = (REPO / "plans" / "prices" / "prices-2026.yaml").read_text()
    (target / "prices" / "prices-2026.yaml").write_text(
        prices_yaml.replace("nadac: nadac-2026-sample.csv\n", "")
    )
    with source_drugs.open() as handle:
        reader = csv.DictReader(handle)
        fields = reader.fieldnames or []
        drugs = list(reader)
    with source_prices.open() as handle:
        prices = list(csv.DictReader(handle))
    filler = max(0, ndc_count - len(drugs))
    for index in range(filler):
        ndc = f"8{index:010d}"
        drugs.append(
            {"ndc": ndc, "name": f"FILLER {index}", "tier": str(1 + index % 3), "group": ndc}
        )
        prices.append({"ndc": ndc, "awp_unit": "1.25000", "mac_unit": "0.40000"})
    with (target / "formularies" / "standard-2026.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fields)
        writer.writeheader()
        writer.writerows({k: row.get(k, "") for k in fields} for row in drugs)
    with (target / "prices" / "prices-2026.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, ["ndc", "awp_unit", "mac_unit"])
        writer.writeheader()
        writer.writerows(prices)


def _extra_rules(count: int) -> str:
    """Benefit rules that never fire but are evaluated on every claim, like real edits."""
    lines = ["  add:"]
    for index in range(count):
        lines += [
            f"    - id: bench-rule-{index}",
            "      phase: benefit",
            f"      when: claim.days_supply > {400 + index} and drug.tier > 0",
            '      reject: "76"',
            "      message: benchmark rule",
            f"      priority: {1000 + index}",
        ]
    return "\n".join(lines) + "\n"


BENCH_FAMILIES = 5000
"""Single-person HMO Gold families ``BENCH000000`` ... added for processor benchmarks."""


def bench_cardholder(index: int) -> str:
    """The cardholder id of benchmark family ``index``."""
    return f"BENCH{index:06d}"


def _bench_members(target: Path, families: int = BENCH_FAMILIES) -> None:
    lines = ["kind: members", "members: BENCH", "families:"]
    for index in range(families):
        lines += [
            f"  - cardholder_id: {bench_cardholder(index)}",
            "    persons:",
            '      - {person_code: "001", relationship: "1", first_name: B, last_name: B,'
            " date_of_birth: 1980-01-01, gender: F}",
            "    coverages:",
            "      - {plan: HMO-GOLD, group: HMOGOLD01, start: 2026-01-01}",
        ]
    (target / "bench-members.yaml").write_text("\n".join(lines) + "\n")


def build_catalog(
    target: Path, ndc_count: int, extra_rules: int = 0, families: int = BENCH_FAMILIES
) -> Catalog:
    """Write a catalog under ``target`` and load it; ``families`` benchmark families."""
    plans = target / "plans"
    for entry in (REPO / "plans").iterdir():
        if entry.is_dir() and entry.name not in _TABLE_DIRS:
            shutil.copytree(entry, plans / entry.name)
    _copy_tables(ndc_count, plans)
    _bench_members(plans / "members", families)
    if extra_rules:
        hmo = plans / "hmo-gold" / "2026.yaml"
        text = hmo.read_text()
        marker = '  version: "2026.1"\ndependent_max_age'
        hmo.write_text(
            text.replace(
                marker, '  version: "2026.1"\n' + _extra_rules(extra_rules) + "dependent_max_age"
            )
        )
    return load_catalog([plans, REPO / "rules"])


def plan_versions(target: Path, versions: int) -> list[Path]:
    """The shared tables, the standard edits and ``versions`` yearly HMO Gold versions.

    Each version is the 2026 design moved to another year, so everything but the
    plan version itself (formulary, network, prices, edit set) is shared: what a
    catalog holds per extra version is the validated plan and its compiled edits.
    """
    plans = target / "plans"
    for name in ("formularies", "networks", "prices"):
        shutil.copytree(REPO / "plans" / name, plans / name)
    design = (REPO / "plans" / "hmo-gold" / "2026.yaml").read_text()
    header = 'version: "2026.1"\neffective:\n  from: 2026-01-01\n  to: 2026-12-31\n'
    assert design.count(header) == 1
    (plans / "hmo-gold").mkdir()
    for year in range(2026, 2026 + versions):
        moved = f'version: "{year}.1"\neffective:\n  from: {year}-01-01\n  to: {year}-12-31\n'
        (plans / "hmo-gold" / f"{year}.yaml").write_text(design.replace(header, moved))
    return [plans, REPO / "rules"]
