"""Cost share on its own: deductible, copay or coinsurance, cap and out-of-pocket maximum.

Four typical shapes of one claim's arithmetic, each with its trace, as billing calls
it. Run: ``.venv/bin/python -m pytest benchmarks/test_costshare.py --benchmark-only``.
"""

from __future__ import annotations

import pytest

from engine.adjudication.costshare import CostShareInputs, compute_cost_share
from engine.plans.plan import CostShare

CASES = {
    "copay": (CostShare(copay="10"), {"allowed": 4_250}),
    "deductible then coinsurance": (
        CostShare(coinsurance="25%", minimum="15", maximum="150"),
        {"allowed": 48_000, "deductible_remaining": 12_500, "out_of_pocket_remaining": 300_000},
    ),
    "insulin cap": (
        CostShare(coinsurance="30%"),
        {"allowed": 52_000, "cap": 10_000, "cap_label": "insulin cap $100 per 30 days"},
    ),
    "lesser of copay and coinsurance, out-of-pocket met": (
        CostShare(copay="40", coinsurance="20%", combine="lesser"),
        {"allowed": 18_000, "out_of_pocket_remaining": 1_250, "penalty": 2_000},
    ),
}


def _inputs(spec: CostShare, changes: dict[str, object]) -> CostShareInputs:
    base: dict[str, object] = {
        "penalty": 0,
        "spec": spec,
        "deductible_applies": True,
        "deductible_remaining": None,
        "out_of_pocket_remaining": None,
        "cap": None,
        "cap_label": None,
        "penalty_counts_toward_out_of_pocket": True,
    }
    return CostShareInputs(**{**base, **changes})  # type: ignore[arg-type]


@pytest.mark.parametrize("case", list(CASES))
def test_cost_share(benchmark, case: str) -> None:
    spec, changes = CASES[case]
    inputs = _inputs(spec, changes)
    result = benchmark(compute_cost_share, inputs)
    assert 0 < result.patient_pay <= inputs.allowed
    assert result.patient_pay + result.plan_pay == inputs.allowed
