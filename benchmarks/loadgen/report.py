"""The load generator's output: ``loadgen.json``, ``loadgen.md`` and ``loadgen.png``."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from benchmarks.loadgen.stats import RunStats

__all__ = ["markdown", "plot", "write_report"]


def _offered(run: RunStats) -> str:
    return f"{run.offered:g}/s" if run.offered is not None else f"closed x{run.connections}"


def _cores(run: RunStats) -> str:
    return "" if run.client_cores is None else f"{run.client_cores:.2f} cores"


def _outcomes(run: RunStats) -> str:
    return ", ".join(f"{name} {count}" for name, count in run.outcomes.items())


def markdown(runs: Sequence[RunStats], conditions: Mapping[str, Any]) -> str:
    """A table per target: offered load, answered/s, p50/p95/p99/max, outcomes."""
    lines = ["# rxadj load", ""]
    lines += [f"- {name}: {value}" for name, value in conditions.items()]
    for target in dict.fromkeys(run.target for run in runs):
        lines += ["", f"## {target}", ""]
        lines += [
            "| load | sent | answered/s | p50 ms | p95 ms | p99 ms | max ms | errors "
            "| generator CPU | outcomes |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        for run in (r for r in runs if r.target == target):
            lines.append(
                f"| {_offered(run)} | {run.sent} | {run.achieved:.0f} | {run.p50_ms:.2f} "
                f"| {run.p95_ms:.2f} | {run.p99_ms:.2f} | {run.max_ms:.1f} | {run.errors} "
                f"| {_cores(run)} | {_outcomes(run)} |"
            )
    return "\n".join(lines) + "\n"


def plot(runs: Sequence[RunStats], path: Path) -> None:
    """Answered claims/s and p99 against the offered load, one line pair per target."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    figure, left = pyplot.subplots(figsize=(7.5, 4.5))
    right = left.twinx()
    colours = ("tab:blue", "tab:green", "tab:purple", "tab:orange")
    swept = [r for r in runs if r.offered is not None]
    for colour, target in zip(colours, dict.fromkeys(r.target for r in swept), strict=False):
        mine = [r for r in swept if r.target == target]
        offered = [r.offered or 0.0 for r in mine]
        left.plot(offered, [r.achieved for r in mine], "o-", color=colour, label=f"{target}/s")
        right.plot(offered, [r.p99_ms for r in mine], "s--", color=colour, alpha=0.6)
    if swept:
        top = max(r.offered or 0.0 for r in swept)
        left.plot([0, top], [0, top], ":", color="grey", label="offered")
    left.set_xlabel("offered load (requests/s)")
    left.set_ylabel("answered (requests/s), solid")
    right.set_ylabel("p99 latency (ms), dashed")
    right.set_yscale("log")
    left.set_title("POST /v1/ncpdp: answered and p99 against offered load")
    left.grid(alpha=0.3)
    if swept:
        left.legend(loc="upper left", fontsize="small")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    pyplot.close(figure)


def write_report(
    runs: Sequence[RunStats], conditions: Mapping[str, Any], output: Path
) -> tuple[Path, Path, Path]:
    """Write the JSON, Markdown and PNG; their paths."""
    output.mkdir(parents=True, exist_ok=True)
    json_path, md_path, png_path = (output / f"loadgen.{ext}" for ext in ("json", "md", "png"))
    document = {"conditions": dict(conditions), "runs": [asdict(run) for run in runs]}
    json_path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    md_path.write_text(markdown(runs, conditions), encoding="utf-8")
    plot(runs, png_path)
    return json_path, md_path, png_path
