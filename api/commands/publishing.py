"""``rxadj plans``: publish, roll back and dry-run plan and rule versions from the shell.

The same workflow as the HTTP service (``api.publishing``): a candidate must load
with everything in force, pass compliance and pass its plan tests, or be overridden
with a reason and an approver; each publication and rollback is audited in the ledger.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
from pathlib import Path
from typing import Annotated

import typer

from api.commands.claims import load_runtime
from api.publishing import PublishingService, ValidationResult, replay_since
from engine.catalog.publication import PublicationError
from engine.compliance.gate import Override, OverrideError
from engine.plantests.gate import PlanTestOverride, PlanTestOverrideError

__all__ = ["app"]

app = typer.Typer(
    help="Publish, roll back and dry-run plan and rule versions.", no_args_is_help=True
)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        typer.echo(f"{path}: cannot read: {exc}", err=True)
        raise typer.Exit(2) from None


def _report(result: ValidationResult) -> None:
    for issue in result.issues:
        typer.echo(str(issue), err=True)
    if result.compliance is not None:
        for check in result.compliance.failures:
            typer.echo(
                f"compliance {check.id}: {check.title}: {check.value} > {check.limit}", err=True
            )
    tests = result.plan_tests
    if tests is not None:
        for version in tests.untested:
            typer.echo(f"plan tests: {version} has no test file", err=True)
        for failure in result.to_dict()["plan_tests"]["failures"]:
            typer.echo(f"plan test failed: {failure['scenario']}: {failure['message']}", err=True)


@app.command()
def publish(
    file: Annotated[Path, typer.Argument(help="The plan, edit-set or mandates YAML file.")],
    tests: Annotated[
        Path | None, typer.Option(help="The plan version's test file, published with it.")
    ] = None,
    reason: Annotated[str | None, typer.Option(help="Override reason for failing checks.")] = None,
    approved_by: Annotated[str | None, typer.Option(help="Who approved the override.")] = None,
    check: Annotated[list[str] | None, typer.Option(help="A failing check id overridden.")] = None,
    accept_scenario: Annotated[
        list[str] | None,
        typer.Option(help="A failing plan test accepted, as PLAN@VERSION/scenario."),
    ] = None,
    accept_untested: Annotated[
        bool, typer.Option(help="Accept a plan version that has no test file.")
    ] = False,
) -> None:
    """Publish a version: it takes effect in every worker without a restart."""
    runtime = load_runtime()
    try:
        override = None
        if check:
            override = Override(reason or "", approved_by or "", frozenset(check))
        tests_override = None
        if accept_scenario or accept_untested:
            tests_override = PlanTestOverride(
                reason or "", approved_by or "", frozenset(accept_scenario or ()), accept_untested
            )
        publication, result = PublishingService(runtime).publish(
            _read(file),
            getpass.getuser(),
            override,
            tests=_read(tests) if tests is not None else None,
            tests_override=tests_override,
        )
    except (OverrideError, PlanTestOverrideError, PublicationError) as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    finally:
        runtime.close()
    if publication is None:
        _report(result)
        typer.echo("not published", err=True)
        raise typer.Exit(1)
    typer.echo(
        f"published {publication.kind} {publication.id}@{publication.version} "
        f"as #{publication.number}"
    )


@app.command()
def rollback(
    plan: Annotated[str, typer.Argument(help="The id whose latest publication to retire.")],
    reason: Annotated[str, typer.Option(help="Why (kept in the audit log).")],
    kind: Annotated[str, typer.Option(help="plan, edits or mandates.")] = "plan",
) -> None:
    """Retire the latest publication; what it replaced is in force again."""
    runtime = load_runtime()
    try:
        retired = PublishingService(runtime).rollback(kind, plan, getpass.getuser(), reason)
    except PublicationError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    finally:
        runtime.close()
    typer.echo(f"rolled back #{retired.number} ({retired.kind} {retired.id}@{retired.version})")


@app.command("dry-run")
def dry_run(
    file: Annotated[Path, typer.Argument(help="The candidate version.")],
    start: Annotated[str, typer.Option("--from", help="First date of service (YYYY-MM-DD).")],
    end: Annotated[str, typer.Option("--to", help="Last date of service (YYYY-MM-DD).")],
) -> None:
    """Replay the ledger's claims under the candidate; print every difference as JSON."""
    try:
        window = (dt.date.fromisoformat(start), dt.date.fromisoformat(end))
    except ValueError as exc:
        typer.echo(f"--from/--to: {exc}", err=True)
        raise typer.Exit(2) from None
    runtime = load_runtime()
    try:
        if runtime.sql is None:
            typer.echo("dry runs replay the ledger; none is configured", err=True)
            raise typer.Exit(2)
        since = replay_since(window[0])
        result = PublishingService(runtime).dry_run(
            _read(file), window, runtime.sql.replay_events(since)
        )
    finally:
        runtime.close()
    if isinstance(result, ValidationResult):
        _report(result)
        raise typer.Exit(1)
    typer.echo(
        json.dumps(
            {
                "replayed": result.replayed,
                "differences": [
                    {
                        name: (
                            getattr(d, name).isoformat()
                            if name == "date_of_service"
                            else getattr(d, name)
                        )
                        for name in d.__dataclass_fields__
                    }
                    for d in result.differences
                ],
            },
            indent=2,
        )
    )
