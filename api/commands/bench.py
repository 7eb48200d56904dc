"""``rxadj bench``: every benchmark suite, one JSON file and one Markdown table.

The suites live in the checkout's ``benchmarks/`` directory (they are not part of
the installed package), so the command runs ``python -m benchmarks.run`` there and
streams its output; see that module for what runs and what is written.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from api.settings import REPO_ROOT

__all__ = ["bench"]


def bench(
    quick: Annotated[
        bool, typer.Option("--quick", help="A reduced set, under two minutes (smoke check).")
    ] = False,
    server: Annotated[
        str | None,
        typer.Option(help="Base URL of a running rxadj HTTP service: adds the load sweep."),
    ] = None,
    output: Annotated[
        Path, typer.Option(help="Directory for bench.json, bench.md and the raw results.")
    ] = REPO_ROOT / "var" / "bench",
    select: Annotated[
        str | None, typer.Option("--select", "-k", help="pytest -k expression: run a subset.")
    ] = None,
    api_key: Annotated[
        str | None, typer.Option(help="X-API-Key for --server (a key with the switch role).")
    ] = None,
) -> None:
    """Run the benchmarks; write OUTPUT/bench.json and OUTPUT/bench.md."""
    if not (REPO_ROOT / "benchmarks" / "run.py").exists():
        typer.echo(
            f"rxadj bench needs the source checkout (no {REPO_ROOT / 'benchmarks'})", err=True
        )
        raise typer.Exit(2)
    command = [sys.executable, "-m", "benchmarks.run", "--output", str(output.resolve())]
    command += ["--quick"] if quick else []
    command += ["--server", server] if server else []
    command += ["--select", select] if select else []
    command += ["--api-key", api_key] if api_key else []
    with subprocess.Popen(
        command, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            typer.echo(line, nl=False)
    raise typer.Exit(process.returncode)
