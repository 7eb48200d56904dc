"""``rxadj validate``: check plans, formularies, networks, prices, edits and members.

A plan that loads can still pay differently from its plan document, so validation
also runs every plan's test scenarios (``rxadj test-plans`` has the full report).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from api.commands.plan_tests import print_failures
from api.settings import Settings
from engine.catalog.loader import load_catalog
from engine.plantests.runner import run_plan_tests, select_tests
from engine.sourcefile import SourceFileError

__all__ = ["validate"]


def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Files or directories (default: the configured plans and rules)."),
    ] = None,
) -> None:
    """Load and check every file and run the plan tests; on any problem exit 1."""
    targets = paths or Settings.from_env().catalog_paths
    console = Console()
    try:
        catalog = load_catalog(targets)
    except SourceFileError as exc:
        for issue in exc.issues:
            typer.echo(str(issue), err=True)
        typer.echo(f"{len(exc.issues)} problem(s) found", err=True)
        raise typer.Exit(1) from None
    plans = sum(len(v) for v in catalog.plans.values())
    console.print(
        f"OK: {len(catalog.sources)} files, {plans} plan versions, "
        f"{sum(len(v) for v in catalog.formularies.values())} formulary versions "
        f"({sum(len(f.drugs) for v in catalog.formularies.values() for f in v)} NDCs), "
        f"{sum(len(v) for v in catalog.networks.values())} network versions, "
        f"{len(catalog.members)} families"
    )
    results = run_plan_tests(catalog, select_tests(catalog, []))
    failed = print_failures(console, results)
    console.print(f"plan tests: {len(results) - failed} passed, {failed} failed")
    if failed:
        raise typer.Exit(1)
