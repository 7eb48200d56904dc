"""Run every benchmark suite with pytest-benchmark and write ``bench.json`` and ``bench.md``.

This is what ``rxadj bench`` runs (from the checkout: the suites are files in
``benchmarks/``, not part of the installed package). Suites are every
``benchmarks/test_*.py``: codec, expressions, cost share, adjudication, the engine
comparison, scaling, and the Redis store suite when Redis answers at
``RXADJ_REDIS_URL`` (default ``redis://127.0.0.1:6379``). ``--server`` adds the HTTP
load sweep (``benchmarks/load.py``). ``--quick`` runs a reduced set (small sizes,
short calibration) for smoke checks.

A benchmark that fails is reported in the table with its reason; the command
itself fails only if pytest produced no results at all.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import socket
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks.report import failures, read_rows, write_report

__all__ = ["QUICK_DESELECT", "main", "pytest_command", "redis_unreachable", "suites"]

REPO = Path(__file__).resolve().parents[1]
QUICK_DESELECT = (
    "not 200000 and not varied and not test_b1_by_rule_count "
    "and not test_b1_through_processor_and_memory_stores"
)
"""What ``--quick`` leaves out: the largest catalogs, cold-cache codec runs, repeats."""
FULL_RATES = (250.0, 500.0, 1000.0, 2000.0, 4000.0)
QUICK_RATES = (100.0, 250.0, 500.0)
"""Offered claims/s of the load sweep (2 s each in quick mode, 10 s otherwise)."""
_STORE_SUITE = "test_store.py"


def redis_unreachable(url: str | None) -> str | None:
    """Why the Redis at ``url`` cannot be used, or None when it accepts connections."""
    parts = urlsplit(url or "redis://127.0.0.1:6379")
    host, port = parts.hostname or "127.0.0.1", parts.port or 6379
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return None
    except OSError as exc:
        return f"Redis at {host}:{port} is not reachable ({exc.strerror or exc})"


def suites(directory: Path = REPO / "benchmarks") -> tuple[list[Path], list[str]]:
    """The suite files to run, and a note for each left out (and why)."""
    found, notes = [], []
    for path in sorted(directory.glob("test_*.py")):
        if path.name == _STORE_SUITE:
            reason = redis_unreachable(os.environ.get("RXADJ_REDIS_URL"))
            if reason:
                notes.append(f"{path.name} not run: {reason}")
                continue
        found.append(path)
    return found, notes


def pytest_command(paths: list[Path], output: Path, quick: bool, select: str | None) -> list[str]:
    """The pytest invocation: benchmarks only, JSON statistics, JUnit failures."""
    command = [
        sys.executable, "-m", "pytest", *map(str, paths),
        "--benchmark-only", "-p", "no:cacheprovider", "-q", "-rfE",
        f"--benchmark-json={output / 'pytest-benchmark.json'}",
        f"--junitxml={output / 'junit.xml'}",
        "--benchmark-columns=median,mean,ops,rounds",
    ]  # fmt: skip
    expression = " and ".join(f"({e})" for e in (QUICK_DESELECT if quick else None, select) if e)
    if expression:
        command += ["-k", expression]
    if quick:
        command += ["--benchmark-max-time=0.1", "--benchmark-min-rounds=3"]
    return command


def _environment(quick: bool) -> dict[str, object]:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": commit or "unknown",
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load average before": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "mode": "quick" if quick else "full",
    }


def _run_pytest(command: list[str], log: Path, quick: bool) -> int:
    env = {**os.environ, "RXADJ_BENCH_QUICK": "1" if quick else "0"}
    with (
        subprocess.Popen(
            command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        ) as process,
        log.open("w") as handle,
    ):
        assert process.stdout is not None
        for line in process.stdout:
            handle.write(line)
            sys.stdout.write(line)
            sys.stdout.flush()
    return process.returncode


def main(argv: list[str] | None = None) -> int:
    """Command line (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--server", help="base URL of a running rxadj HTTP service")
    parser.add_argument("--output", type=Path, default=REPO / "var" / "bench")
    parser.add_argument("--select", "-k", help="pytest -k expression to run a subset")
    parser.add_argument("--api-key", help="X-API-Key for --server (switch role)")
    parser.add_argument("--rates", nargs="+", type=float, help="offered claims/s for --server")
    parser.add_argument("--duration", type=float, help="seconds per offered rate")
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args(argv)
    output: Path = args.output.resolve()
    output.mkdir(parents=True, exist_ok=True)
    paths, notes = suites()
    environment = _environment(args.quick)
    code = _run_pytest(
        pytest_command(paths, output, args.quick, args.select), output / "pytest.log", args.quick
    )
    environment["load average after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    raw = output / "pytest-benchmark.json"
    if not raw.exists():
        print(f"pytest exited {code} without benchmark results; see {output / 'pytest.log'}")
        return 1
    load = None
    if args.server:
        from benchmarks.load import plot, sweep

        headers = {"X-API-Key": args.api_key} if args.api_key else {}
        rates = args.rates or (QUICK_RATES if args.quick else FULL_RATES)
        duration = args.duration or (2.0 if args.quick else 10.0)
        results = sweep(args.server, rates, duration, args.concurrency, headers)
        plot(results, output / "load.png")
        load = [asdict(r) for r in results]
        (output / "load.json").write_text(json.dumps(load, indent=2) + "\n")
        notes.append(f"HTTP load against {args.server}, {args.concurrency} connections: load.png")
    json_path, md_path = write_report(
        output, read_rows(raw), failures(output / "junit.xml"), environment, notes, load
    )
    print(f"\n{md_path.read_text()}\nwrote {json_path} and {md_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
