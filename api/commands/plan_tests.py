"""``rxadj test-plans``: run the plans' test files and report pass/fail and coverage."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from api.commands.claims import load_runtime
from engine.catalog.catalog import Catalog
from engine.plantests.coverage import coverage
from engine.plantests.junit import failure_lines, junit_xml
from engine.plantests.runner import ScenarioResult, run_plan_tests, select_tests

__all__ = ["plan_tests", "print_failures"]


def _print_table(console: Console, results: list[ScenarioResult]) -> None:
    table = Table(title="plan tests")
    for name in ("plan", "scenario", "claims", "result"):
        table.add_column(name)
    for result in results:
        table.add_row(
            f"{result.plan}@{result.version}",
            result.name,
            str(len(result.claims)),
            "[green]pass[/]" if result.passed else "[red]FAIL[/]",
        )
    console.print(table)


def print_failures(console: Console, results: list[ScenarioResult]) -> int:
    """Each failing scenario: every differing field, then its claims' traces; the count."""
    failed = [result for result in results if not result.passed]
    for result in failed:
        console.print(
            f"[red]FAIL[/] {result.plan}@{result.version} {result.name!r} ({result.source})",
            highlight=False,
        )
        for line in failure_lines(result):
            console.print(f"  {line}", highlight=False)
        for claim in result.claims:
            if not claim.passed:
                console.print(f"  trace of claim {claim.index}:")
                for step in claim.decision.trace:
                    console.print(f"    {step}", highlight=False)
    return len(failed)


def _print_coverage(console: Console, catalog: Catalog, results: list[ScenarioResult]) -> None:
    for report in coverage(catalog, results):
        if report.complete:
            console.print(f"{report.plan}@{report.version}: everything exercised")
            continue
        console.print(f"{report.plan}@{report.version} not exercised:")
        for title, items in (
            ("cost share", report.cost_share),
            ("edits", report.edits),
            ("features", report.features),
        ):
            if items:
                console.print(f"  {title}: {', '.join(items)}")


def plan_tests(
    plans: Annotated[
        list[str] | None, typer.Argument(help="PLAN or PLAN@VERSION; all if none.")
    ] = None,
    junit: Annotated[Path | None, typer.Option(help="Also write JUnit XML here.")] = None,
    show_coverage: Annotated[
        bool, typer.Option("--coverage/--no-coverage", help="List what no scenario exercised.")
    ] = True,
) -> None:
    """Run the plans' test scenarios on embedded stores; exit 1 on any failure."""
    runtime = load_runtime(embedded=True)
    selected = select_tests(runtime.catalog, plans or [])
    if not selected:
        typer.echo(
            "no plan test files found" + (f" for {', '.join(plans)}" if plans else ""), err=True
        )
        raise typer.Exit(1)
    results = run_plan_tests(runtime.catalog, selected)
    console = Console()
    _print_table(console, results)
    failed = print_failures(console, results)
    if show_coverage:
        _print_coverage(console, runtime.catalog, results)
    if junit is not None:
        junit.write_text(junit_xml(results), encoding="utf-8")
    console.print(f"{len(results) - failed} passed, {failed} failed")
    if failed:
        raise typer.Exit(1)
