"""Edit evaluation per claim: rxadj's compiled engine against durable_rules, rule-engine, zen.

Each (engine, rule count) first runs in a subprocess (``benchmarks.engines.worker``):
that measures memory and agreement with rxadj, and turns a hang, a crash or an
exception into this test's failure message, so the failure is the reported result.
(The benchmark fixture then stays unused, hence the filtered warning.)
If the engine runs, it is timed here per claim (three phases, facts conversion
included), round robin over the generated claims. A claim on which the engine
raises (durable_rules' error 303) is counted and reported in ``extra_info``.

Run: ``.venv/bin/python -m pytest benchmarks/test_engines.py --benchmark-only``;
``RXADJ_BENCH_QUICK=1`` keeps to 10 and 100 rules. The full table with memory is
``python -m benchmarks.engines.compare``.
"""

from __future__ import annotations

import itertools
import os

import pytest

from benchmarks.engines.adapters import ENGINES, Evaluator, build
from benchmarks.engines.claims import ClaimCase, generated_claims
from benchmarks.engines.compare import run_cell
from benchmarks.engines.rulesets import SIZES, rule_set
from engine.edits.model import PHASES

QUICK = os.environ.get("RXADJ_BENCH_QUICK") == "1"
RUN_SIZES = (10, 100) if QUICK else SIZES
TARGET_SECONDS = 0.3 if QUICK else 2.0
CLAIMS = 60 if QUICK else 120


def _one_claim(evaluator: Evaluator, case: ClaimCase) -> int:
    fired = 0
    for phase in PHASES:
        try:
            fired += len(evaluator.fired(phase, case.roots(phase)))
        except Exception:  # an engine's refusal is measured like an answer
            fired -= 1
    return fired


@pytest.mark.parametrize("rules", RUN_SIZES)
@pytest.mark.parametrize("engine", list(ENGINES))
@pytest.mark.filterwarnings("ignore:Benchmark fixture was not used")
def test_edit_evaluation(benchmark, engine: str, rules: int) -> None:
    probe = run_cell(engine, rules, CLAIMS, passes=1, timeout=300)
    if probe["status"] in ("timeout", "crash", "error"):
        pytest.fail(f"{engine} at {rules} rules: {probe['status']}: {probe['error']}")
    benchmark.group = "edit evaluation per claim"
    benchmark.extra_info.update(
        {key: probe[key] for key in ("engine", "rules", "status", "error", "failures")}
        | {"python_kib": probe["python_kib"], "rss_mib": probe["rss_mib"]}
        | {"mismatches": probe["mismatches"], "claim_phases": probe["claim_phases"]}
    )
    evaluator = build(engine, rule_set(rules))
    claims = itertools.cycle(generated_claims(CLAIMS))
    estimate = float(probe["us_per_claim"]) / 1e6  # type: ignore[arg-type]
    rounds = max(20, min(20_000, int(TARGET_SECONDS / max(estimate, 1e-7))))
    benchmark.pedantic(
        lambda: _one_claim(evaluator, next(claims)), rounds=rounds, warmup_rounds=min(rounds, 50)
    )
    assert probe["mismatches"] == 0, f"{engine} disagrees with rxadj on {probe['mismatches']}"
