"""Every engine at every rule count, each in its own process; a Markdown table and JSON.

Run: ``.venv/bin/python -m benchmarks.engines.compare --output var/bench`` (or as part
of ``rxadj bench``). A cell whose process fails — an exception at build time, a
crash (reported with its signal), a hang past ``--timeout`` — is reported as that
failure; a cell whose engine raises on some claims reports how many, and the error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from benchmarks.engines.adapters import ENGINES
from benchmarks.engines.rulesets import SIZES

__all__ = ["environment", "main", "markdown", "run_cell", "run_comparison"]

REPO = Path(__file__).resolve().parents[2]


def run_cell(
    engine: str, rules: int, claims: int, passes: int, timeout: float
) -> dict[str, object]:
    """One (engine, rule count) measurement in a subprocess; a failure becomes the result."""
    command = [
        sys.executable,
        "-m",
        "benchmarks.engines.worker",
        "--engine",
        engine,
        "--rules",
        str(rules),
        "--claims",
        str(claims),
        "--passes",
        str(passes),
    ]
    base: dict[str, object] = {"engine": engine, "rules": rules}
    try:
        done = subprocess.run(
            command, cwd=REPO, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return {**base, "status": "timeout", "error": f"no result within {timeout:g} s (killed)"}
    if done.returncode < 0:
        name = signal.Signals(-done.returncode).name
        return {**base, "status": "crash", "error": f"{name} (signal {-done.returncode})"}
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {**base, "status": "error", "error": last}
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if result["failures"]:
        result["status"] = "fails on some claims"
    elif result["mismatches"]:
        result["status"] = "wrong answers"
    else:
        result["status"] = "ok"
    return result


def environment() -> dict[str, object]:
    """Conditions of the run: benchmark figures mean little without them."""
    return {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def run_comparison(
    engines: Sequence[str], sizes: Sequence[int], claims: int, passes: int, timeout: float
) -> dict[str, object]:
    """Every cell, with the run's conditions before and after."""
    before = environment()
    cells = [run_cell(e, n, claims, passes, timeout) for n in sizes for e in engines]
    return {"environment": before, "load_average_after": list(os.getloadavg()), "cells": cells}


def _cell_text(cell: dict[str, object], reference: float | None) -> str:
    status = cell["status"]
    if status in ("timeout", "crash", "error"):
        return f"**{status}**: {cell['error']}"
    text = f"{cell['us_per_claim']:,} µs"
    if reference and cell["engine"] != "rxadj":
        text += f" ({float(cell['us_per_claim']) / reference:,.0f}×)"  # type: ignore[arg-type]
    if status == "fails on some claims":
        text += (
            f"; **{cell['failures']}/{cell['claim_phases']} claim-phases fail**: {cell['error']}"
        )
    elif status == "wrong answers":
        text += f"; **{cell['mismatches']} wrong answers**"
    return text


def markdown(report: dict[str, object]) -> str:
    """The pivot (µs per claim) and the detail table (build, memory, agreement)."""
    cells: list[dict[str, object]] = report["cells"]  # type: ignore[assignment]
    engines = list(dict.fromkeys(str(c["engine"]) for c in cells))
    sizes = sorted({int(c["rules"]) for c in cells})  # type: ignore[call-overload]
    by_key = {(c["engine"], c["rules"]): c for c in cells}
    env = report["environment"]
    lines = [
        "µs per claim (all three phases, facts conversion included; × = times rxadj):",
        "",
        "| engine | " + " | ".join(f"{n:,} rules" for n in sizes) + " |",
        "|---|" + "---|" * len(sizes),
    ]
    for engine in engines:
        row = []
        for n in sizes:
            cell = by_key.get((engine, n))
            reference = by_key.get(("rxadj", n), {}).get("us_per_claim")
            row.append("—" if cell is None else _cell_text(cell, reference))  # type: ignore[arg-type]
        lines.append(f"| {engine} | " + " | ".join(row) + " |")
    lines += [
        "",
        "| engine | rules | µs/claim | build s | Python heap KiB | RSS Δ MiB | agrees with rxadj |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for cell in cells:
        if cell["status"] in ("timeout", "crash", "error"):
            lines.append(
                f"| {cell['engine']} | {cell['rules']:,} | — | — | — | — | {cell['error']} |"
            )
            continue
        agreed = int(cell["claim_phases"]) - int(cell["mismatches"]) - int(cell["failures"])  # type: ignore[call-overload]
        lines.append(
            f"| {cell['engine']} | {cell['rules']:,} | {cell['us_per_claim']:,} "
            f"| {cell['build_s']} | {cell['python_kib']:,} | {cell['rss_mib']} "
            f"| {agreed}/{cell['claim_phases']} |"
        )
    lines += [
        "",
        f"Conditions: Python {env['python']} on {env['cpus']} CPUs ({env['machine']}), "  # type: ignore[index]
        f"load average {env['load_average']} before and "  # type: ignore[index]
        f"{[round(x, 2) for x in report['load_average_after']]} after; {env['when']}.",  # type: ignore[union-attr]
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Command line: run the comparison and write ``engines.json`` and ``engines.md``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=REPO / "var" / "bench")
    parser.add_argument("--engines", nargs="*", default=list(ENGINES))
    parser.add_argument("--sizes", nargs="*", type=int, default=list(SIZES))
    parser.add_argument("--claims", type=int, default=120)
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args(argv)
    report = run_comparison(args.engines, args.sizes, args.claims, args.passes, args.timeout)
    args.output.mkdir(parents=True, exist_ok=True)
    (args.output / "engines.json").write_text(json.dumps(report, indent=2) + "\n")
    table = markdown(report)
    (args.output / "engines.md").write_text(table)
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
