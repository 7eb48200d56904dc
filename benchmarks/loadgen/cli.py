"""Command line of the load generator (``python -m benchmarks.loadgen``).

Write the members file and load it into the server's ledger database::

    python -m benchmarks.loadgen members --families 20000 --output var/loadgen/members.json
    RXADJ_DATABASE_URL=... rxadj members load var/loadgen/members.json

Then, with ``rxadj serve`` listening and a switch key::

    python -m benchmarks.loadgen run --server http://127.0.0.1:8080 --api-key KEY \\
        --members var/loadgen/members.json --closed 64 --rates 500 1000 1500 2000 \\
        --duration 10 --mix 85/10/5 --workers 2 --output var/bench/loadgen

Each load point (the closed loop, then each offered rate) runs against rxadj and
then against the bare Litestar echo app (``benchmarks.echo``), which the tool starts
on ``--echo-port`` with the same worker count and stops at the end; ``--no-echo``
skips it.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.echo import start_echo
from benchmarks.loadgen.report import write_report
from benchmarks.loadgen.runner import Outcome, run_closed, run_open
from benchmarks.loadgen.stats import RunStats, summarize
from benchmarks.loadgen.workload import Mix, Workload, read_members, write_members

__all__ = ["first_rx", "main", "run_point"]

REPO = Path(__file__).resolve().parents[2]


def first_rx(now: float | None = None) -> int:
    """The first Rx number of a run: 100,000 numbers per second of start time, 11 digits.

    A later run starts at least its predecessor's duration later, so unless a run
    sends 100,000 B1s per second the ranges never meet: no duplicate across runs
    against the same ledger either.
    """
    return int(now if now is not None else time.time()) % 1_000_000 * 100_000


def _echoed(_: bytes) -> str:
    return "echoed"


def run_point(
    server: str,
    workload: Workload,
    target: str,
    rate: float | None,
    args: argparse.Namespace,
    headers: dict[str, str],
    outcome: Outcome | None = None,
) -> RunStats:
    """One load point against one server: open loop at ``rate``, or closed loop if None."""
    extra = {} if outcome is None else {"outcome": outcome}
    before = _cpu_seconds()
    if rate is None:
        sample = asyncio.run(
            run_closed(server, workload, args.duration, args.closed, headers, **extra)
        )
        used = _cpu_seconds() - before
        return summarize(sample, target, "closed", None, args.closed, used)
    sample = asyncio.run(
        run_open(server, workload, rate, args.duration, args.connections, headers, **extra)
    )
    return summarize(sample, target, "open", rate, args.connections, _cpu_seconds() - before)


def _cpu_seconds() -> float:
    """CPU (user + system) this process has used so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _conditions(args: argparse.Namespace, members: int) -> dict[str, object]:
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
        "server": args.server,
        "echo": "off" if args.no_echo else f"127.0.0.1:{args.echo_port}, {args.workers} workers",
        "mix B1/B2/E1": args.mix,
        "persons": members,
        "duration per point (s)": args.duration,
        "open-loop connections": args.connections,
    }


def _run(args: argparse.Namespace) -> int:
    members = read_members(args.members)
    mix = Mix.parse(args.mix)
    day = dt.date.fromisoformat(args.date) if args.date else dt.date.today()
    headers = {"X-API-Key": args.api_key} if args.api_key else {}
    points: list[float | None] = ([None] if args.closed else []) + list(args.rates)
    conditions = _conditions(args, len(members))
    echo = None if args.no_echo else start_echo(args.echo_port, args.workers)
    if args.cpus:  # after the echo started: it keeps every CPU, like rxadj
        os.sched_setaffinity(0, args.cpus)
        conditions["load generator pinned to CPUs"] = ",".join(map(str, args.cpus))
    echo_url = f"http://127.0.0.1:{args.echo_port}"
    runs: list[RunStats] = []
    cursor = args.members.with_suffix(".cursor")
    try:
        for index, rate in enumerate(points):
            turn = int(cursor.read_text()) if cursor.exists() else 0
            workload = Workload(members, mix, day, first_rx(), seed=index + 1, turn=turn)
            runs.append(run_point(args.server, workload, "rxadj", rate, args, headers))
            cursor.write_text(f"{workload.turn}\n")
            _print(runs[-1])
            if echo is not None:
                shadow = Workload(members, mix, day, first_rx(), seed=index + 1)
                runs.append(run_point(echo_url, shadow, "echo", rate, args, {}, _echoed))
                _print(runs[-1])
    finally:
        if echo is not None:
            echo.terminate()
            echo.wait()
    conditions["load average after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    paths = write_report(runs, conditions, args.output)
    print("wrote " + ", ".join(str(p) for p in paths))
    return 0


def _print(run: RunStats) -> None:
    load = f"{run.offered:>6g}/s" if run.offered is not None else f"closed x{run.connections}"
    print(
        f"{run.target:>5} {load:>10}: {run.achieved:>7.0f}/s answered, p50 {run.p50_ms:.2f} "
        f"p95 {run.p95_ms:.2f} p99 {run.p99_ms:.2f} ms, errors {run.errors}, "
        f"generator {run.client_cores} cores, {run.outcomes}",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    """``members`` writes a members file; ``run`` drives the load (module docstring)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.loadgen")
    commands = parser.add_subparsers(dest="command", required=True)
    members = commands.add_parser("members", help="write a members file of HMO Gold families")
    members.add_argument("--families", type=int, default=20_000)
    members.add_argument("--seed", type=int, default=1)
    members.add_argument("--output", type=Path, default=Path("var/loadgen/members.json"))
    run = commands.add_parser("run", help="drive B1/B2/E1 load against a server and the echo")
    run.add_argument("--server", required=True, help="base URL, like http://127.0.0.1:8080")
    run.add_argument("--api-key", help="X-API-Key with the switch role")
    run.add_argument("--members", type=Path, default=Path("var/loadgen/members.json"))
    run.add_argument("--mix", default="85/10/5", help="B1/B2/E1 weights")
    run.add_argument("--closed", type=int, default=0, help="closed loop with N connections")
    run.add_argument("--rates", nargs="*", type=float, default=[], help="offered requests/s")
    run.add_argument("--duration", type=float, default=10.0, help="seconds per load point")
    run.add_argument("--connections", type=int, default=64, help="open-loop connections")
    run.add_argument("--date", help="date of service (default today)")
    run.add_argument("--workers", type=int, default=2, help="echo server workers")
    run.add_argument("--echo-port", type=int, default=8099)
    run.add_argument("--no-echo", action="store_true")
    run.add_argument(
        "--cpus",
        nargs="+",
        type=int,
        help="pin the load generator to these CPUs (the echo server keeps all of them)",
    )
    run.add_argument("--output", type=Path, default=Path("var/bench/loadgen"))
    args = parser.parse_args(argv)
    if args.command == "members":
        persons = write_members(args.output, args.families, args.seed)
        print(f"wrote {args.output}: {args.families} families, {persons} persons")
        print(f"load it with: rxadj members load {args.output}")
        return 0
    if not args.closed and not args.rates:
        parser.error("run needs --closed N and/or --rates R [R ...]")
    return _run(args)


if __name__ == "__main__":
    sys.exit(main())
