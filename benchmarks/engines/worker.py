"""Measure one engine at one rule count, in this (fresh) process; print one JSON line.

Run by :mod:`benchmarks.engines.compare` as
``python -m benchmarks.engines.worker --engine durable_rules --rules 100``, so that an
engine that hangs, crashes or exhausts memory costs only its own process, and its
failure can be reported as the result.

What is measured:

- ``build_s``: compiling with rxadj, translating and loading the rule set into the
  engine (after a warm-up build of 10 rules, so imports are not counted);
- ``python_kib``: Python heap the built engine holds (tracemalloc, in a second
  build; engines written in C or Rust allocate mostly outside it), ``peak_kib``
  the peak while building;
- ``rss_mib``: growth of the process's resident memory over the first build and
  evaluation pass (covers native allocations);
- ``us_per_claim``: median over passes of one pass over every claim (all three
  phases each, facts conversion included) divided by the number of claims;
- ``mismatches``: claim-phases whose fired rules differ from rxadj's; ``failures``:
  claim-phases on which the engine raised, with the first error's text.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

from benchmarks.engines.adapters import build
from benchmarks.engines.claims import ClaimCase, generated_claims
from benchmarks.engines.rulesets import rule_set
from engine.edits.model import PHASES

__all__ = ["main", "measure", "rss_mib"]


def rss_mib() -> float:
    """Resident memory of this process now, in MiB (Linux ``/proc``)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _pass(
    evaluator: object, claims: tuple[ClaimCase, ...]
) -> tuple[list[dict[str, frozenset[str] | str]], float]:
    results = []
    start = time.perf_counter()
    for case in claims:
        fired: dict[str, frozenset[str] | str] = {}
        for phase in PHASES:
            try:
                fired[phase] = evaluator.fired(phase, case.roots(phase))  # type: ignore[attr-defined]
            except Exception as exc:  # an engine's failure is the result
                fired[phase] = f"{type(exc).__name__}: {exc}"
        results.append(fired)
    return results, time.perf_counter() - start


def measure(engine: str, rules: int, claims: int, passes: int) -> dict[str, object]:
    """Build ``engine`` over ``rules`` rules and evaluate ``claims`` claims ``passes`` times."""
    cases = generated_claims(claims)
    edit_set = rule_set(rules)
    build(engine, rule_set(10))
    gc.collect()
    rss_before = rss_mib()
    start = time.perf_counter()
    evaluator = build(engine, edit_set)
    build_s = time.perf_counter() - start
    results, first = _pass(evaluator, cases)
    rss_after = rss_mib()
    timings = [first] + [_pass(evaluator, cases)[1] for _ in range(passes - 1)]
    del evaluator
    gc.collect()
    tracemalloc.start()
    held = build(engine, edit_set)
    gc.collect()
    python_kib, peak_kib = (value / 1024 for value in tracemalloc.get_traced_memory())
    tracemalloc.stop()
    del held
    reference = build("rxadj", edit_set)
    mismatches = 0
    errors = []
    for case, fired in zip(cases, results, strict=True):
        for phase in PHASES:
            got = fired[phase]
            if isinstance(got, str):
                errors.append(got)
            elif got != reference.fired(phase, case.roots(phase)):
                mismatches += 1
    return {
        "engine": engine,
        "rules": rules,
        "claims": len(cases),
        "claim_phases": len(cases) * len(PHASES),
        "passes": passes,
        "build_s": round(build_s, 4),
        "python_kib": round(python_kib, 1),
        "peak_kib": round(peak_kib, 1),
        "rss_mib": round(rss_after - rss_before, 2),
        "us_per_claim": round(statistics.median(timings) / len(cases) * 1e6, 2),
        "mismatches": mismatches,
        "failures": len(errors),
        "error": errors[0] if errors else None,
    }


def main(argv: list[str] | None = None) -> int:
    """Command line: measure one cell and print its JSON on one line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", required=True)
    parser.add_argument("--rules", type=int, required=True)
    parser.add_argument("--claims", type=int, default=120)
    parser.add_argument("--passes", type=int, default=5)
    args = parser.parse_args(argv)
    result = measure(args.engine, args.rules, args.claims, args.passes)
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
