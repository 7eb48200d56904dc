"""Benchmark results as one JSON document and one Markdown table.

Reads what pytest wrote — pytest-benchmark's JSON (the statistics) and a JUnit XML
file (which benchmarks failed, and why) — so that a benchmark that could not run is
reported with its reason instead of silently missing from the table. The engine
comparison gets its own pivot: µs per claim by engine and rule count, with memory
and the failures as results.
"""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Row", "failures", "markdown", "read_rows", "time_text", "write_report"]

_ENGINE_TEST = "test_edit_evaluation["


@dataclass(frozen=True, slots=True)
class Row:
    """One benchmark's statistics (seconds) and what its test recorded besides."""

    name: str
    group: str
    median: float
    mean: float
    ops: float
    rounds: int
    extra: dict[str, Any] = field(default_factory=dict)


def read_rows(path: Path) -> list[Row]:
    """Rows from a ``--benchmark-json`` file, in the order they ran."""
    data = json.loads(path.read_text())
    return [
        Row(
            name=f"{Path(b['fullname'].split('::')[0]).stem}::{b['name']}",
            group=b.get("group") or Path(b["fullname"].split("::")[0]).stem,
            median=b["stats"]["median"],
            mean=b["stats"]["mean"],
            ops=b["stats"]["ops"],
            rounds=b["stats"]["rounds"],
            extra=b.get("extra_info") or {},
        )
        for b in data["benchmarks"]
    ]


def failures(path: Path) -> list[tuple[str, str]]:
    """(test, reason) for every failed or erroring test in a JUnit XML file."""
    if not path.exists():
        return []
    found = []
    for case in ET.parse(path).getroot().iter("testcase"):
        for problem in (*case.findall("failure"), *case.findall("error")):
            module = case.get("classname", "").rsplit(".", 1)[-1]
            message = (problem.get("message") or "").removeprefix("Failed: ").strip()
            found.append((f"{module}::{case.get('name')}", message.splitlines()[0][:300]))
    return found


def time_text(seconds: float) -> str:
    """A duration with a unit that keeps three or four significant digits."""
    if math.isnan(seconds):
        return "—"
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:,.2f} {unit}"
    return f"{seconds / 1e-9:,.0f} ns"


def _notes(extra: dict[str, Any]) -> str:
    shown = {k: v for k, v in extra.items() if k not in ("engine", "rules", "claim_phases")}
    if shown.get("status") == "ok":
        shown.pop("status")
        shown.pop("error", None)
    return "; ".join(f"{k}={v}" for k, v in shown.items() if v not in (None, 0, ""))


def _engine_pivot(rows: list[Row], failed: list[tuple[str, str]]) -> list[str]:
    cells: dict[tuple[str, int], str] = {}
    reference = {int(r.extra["rules"]): r.median for r in rows if r.extra.get("engine") == "rxadj"}
    for row in rows:
        if _ENGINE_TEST not in row.name:
            continue
        engine, rules = str(row.extra["engine"]), int(row.extra["rules"])
        text = f"{row.median * 1e6:,.1f} µs"
        if engine != "rxadj" and reference.get(rules):
            text += f" ({row.median / reference[rules]:,.0f}×)"
        text += f", {row.extra['python_kib']:,.0f} KiB heap, RSS +{row.extra['rss_mib']} MiB"
        if row.extra.get("status") != "ok":
            text += f"; **{row.extra['failures']} claim-phases fail: {row.extra['error']}**"
        cells[engine, rules] = text
    for test, reason in failed:
        if _ENGINE_TEST in test:
            engine, rules = test.split("[", 1)[1].rstrip("]").rsplit("-", 1)
            cells[engine, int(rules)] = f"**{reason.split(': ', 1)[-1]}**"
    if not cells:
        return []
    engines = list(dict.fromkeys(engine for engine, _ in cells))
    sizes = sorted({rules for _, rules in cells})
    lines = [
        "### Edit evaluation: rxadj against the anchor engines (median per claim)",
        "",
        "| engine | " + " | ".join(f"{n:,} rules" for n in sizes) + " |",
        "|---|" + "---|" * len(sizes),
    ]
    for engine in engines:
        row = [cells.get((engine, n), "—") for n in sizes]
        lines.append(f"| {engine} | " + " | ".join(row) + " |")
    return [*lines, ""]


def markdown(
    rows: list[Row],
    failed: list[tuple[str, str]],
    environment: dict[str, Any],
    notes: list[str],
    load: list[dict[str, Any]] | None = None,
) -> str:
    """The whole report: every benchmark, the engine pivot, failures, load, conditions."""
    lines = [
        "| benchmark | median | mean | ops/s | rounds | notes |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row.name} | {time_text(row.median)} | {time_text(row.mean)} "
            f"| {row.ops:,.0f} | {row.rounds:,} | {_notes(row.extra)} |"
        )
    lines.append("")
    lines += _engine_pivot(rows, failed)
    if failed:
        lines += ["### Benchmarks that failed (the failure is the result)", ""]
        lines += ["| benchmark | result |", "|---|---|"]
        lines += [f"| {test} | {reason} |" for test, reason in failed]
        lines.append("")
    if load:
        lines += ["### HTTP load (POST /v1/ncpdp)", ""]
        lines += ["| offered/s | answered/s | p50 ms | p99 ms | max ms | errors |"]
        lines += ["|---:|---:|---:|---:|---:|---:|"]
        lines += [
            f"| {r['offered']:,.0f} | {r['achieved']:,.1f} | {r['p50_ms']} | {r['p99_ms']} "
            f"| {r['max_ms']} | {r['errors']} |"
            for r in load
        ]
        lines.append("")
    conditions = ", ".join(f"{k}: {v}" for k, v in environment.items())
    lines += [f"Conditions: {conditions}."]
    lines += [f"Note: {note}" for note in notes]
    return "\n".join(lines) + "\n"


def write_report(
    output: Path,
    rows: list[Row],
    failed: list[tuple[str, str]],
    environment: dict[str, Any],
    notes: list[str],
    load: list[dict[str, Any]] | None = None,
) -> tuple[Path, Path]:
    """Write ``bench.json`` and ``bench.md`` into ``output``; return their paths."""
    document = {
        "environment": environment,
        "notes": notes,
        "benchmarks": [asdict(row) for row in rows],
        "failures": [{"benchmark": test, "result": reason} for test, reason in failed],
        "load": load or [],
    }
    json_path, md_path = output / "bench.json", output / "bench.md"
    json_path.write_text(json.dumps(document, indent=2) + "\n")
    md_path.write_text(markdown(rows, failed, environment, notes, load))
    return json_path, md_path
