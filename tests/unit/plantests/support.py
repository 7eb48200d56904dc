"""A deliberately broken copy of the shipped plans, for tests that must see failures."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import REPO

HMO_TIER_2 = "  2:\n    retail_30: {copay: 35}"


def copy_with_hmo_copay(folder: Path, copay: str) -> list[Path]:
    """Copies of the shipped plans and rules with HMO Gold's tier 2 retail copay changed.

    The deliberate error a reviewer would miss: one figure in one plan file ($35 as
    shipped).
    """
    shutil.copytree(REPO / "plans", folder / "plans")
    shutil.copytree(REPO / "rules", folder / "rules")
    plan = folder / "plans" / "hmo-gold" / "2026.yaml"
    text = plan.read_text()
    assert HMO_TIER_2 in text
    plan.write_text(text.replace(HMO_TIER_2, HMO_TIER_2.replace("35", copay)))
    return [folder / "plans", folder / "rules"]
