"""``rxadj compliance``: check plan versions against the federal and state mandates.

Prints a table per plan version (or ``--json``), optionally writes a self-contained
HTML report for filing (``--report``), and exits 1 when any binding check fails, so
a publishing pipeline can gate on it. Exit 2: the files do not load, a named plan is
not loaded, or the report cannot be written.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from api.settings import Settings
from engine.catalog.loader import load_catalog
from engine.compliance.checker import UnknownPlanError, compliance_report
from engine.compliance.html import render_html
from engine.compliance.results import CheckResult, ComplianceReport, Outcome, PlanReport
from engine.sourcefile import SourceFileError

__all__ = ["compliance"]

_STYLES = {
    Outcome.PASS: ("green", "PASS"),
    Outcome.FAIL: ("bold red", "FAIL"),
    Outcome.ADVISORY_PASS: ("yellow", "pass*"),
    Outcome.ADVISORY_FAIL: ("yellow", "not met*"),
}


def _table(plan: PlanReport) -> Table:
    verdict = "[green]PASS[/]" if plan.passed else f"[bold red]FAIL ({len(plan.failures)})[/]"
    table = Table(
        title=escape(
            f"{plan.id} {plan.name}: plan year {plan.plan_year.isoformat()}, {plan.type}, "
            f"{plan.funding}, {plan.market}, {plan.situs_state}: "
        )
        + verdict,
        title_justify="left",
        expand=True,
    )
    for header in ("Check", "Result", "Plan value", "Limit", "Source"):
        table.add_column(header, overflow="fold")
    for check in plan.checks:
        style, label = _STYLES[check.outcome]
        title = escape(check.title) + (f"\n[dim]{escape(check.detail)}[/]" if check.detail else "")
        table.add_row(
            title,
            f"[{style}]{label}[/]",
            escape(check.value),
            escape(check.limit),
            _source(check),
        )
    return table


def _source(check: CheckResult) -> str:
    citation = check.citation
    if citation is None:
        return escape(check.rule or "rxadj")
    status = citation.status.value
    if citation.applicability_status is not None:
        status += f", dates/scope {citation.applicability_status.value}"
    return f"{escape(citation.law)}\n[dim]{escape(f'{status}; {check.rule}')}[/]"


def _print(report: ComplianceReport) -> None:
    console = Console()
    for plan in report.plans:
        console.print(_table(plan))
        for note in plan.notes:
            console.print(f"  [dim]note: {escape(note)}[/]")
        console.print()
    failing = [plan.id for plan in report.plans if not plan.passed]
    console.print("* advisory: source or reading weaker than VERIFIED; never a pass/fail limit")
    console.print(f"rule versions: {', '.join(report.rule_sets) or 'none loaded'}")
    if failing:
        count = f"{len(failing)} of {len(report.plans)} plan versions fail"
        console.print(f"[bold red]{count}:[/] {', '.join(failing)}")
    else:
        console.print(f"[green]all {len(report.plans)} plan versions pass[/]")


def compliance(
    plans: Annotated[
        list[str] | None,
        typer.Argument(help="PLAN (every version) or PLAN@VERSION; default: every plan."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    report: Annotated[
        Path | None,
        typer.Option("--report", metavar="FILE.html", help="Also write an HTML report to file."),
    ] = None,
    catalog: Annotated[
        list[Path] | None,
        typer.Option(
            "--catalog", help="Plan and rule files or directories (default: configured ones)."
        ),
    ] = None,
) -> None:
    """Check plan versions against the out-of-pocket mandates; exit 1 on any failure."""
    try:
        loaded = load_catalog(catalog or Settings.from_env().catalog_paths)
    except SourceFileError as exc:
        typer.echo(
            f"plans and rules do not load: {exc.issues[0]} "
            f"({len(exc.issues)} problem(s); run rxadj validate)",
            err=True,
        )
        raise typer.Exit(2) from None
    try:
        result = compliance_report(loaded, plans or (), dt.date.today())
    except UnknownPlanError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    if report is not None:
        try:
            report.write_text(render_html(result), encoding="utf-8")
        except OSError as exc:
            typer.echo(f"{report}: cannot write: {exc.strerror}", err=True)
            raise typer.Exit(2) from None
    if as_json:
        typer.echo(json.dumps(result.to_dict(), indent=2))
    else:
        _print(result)
        if report is not None:
            Console().print(f"report written to {report}")
    if not result.passed:
        raise typer.Exit(1)
