"""``rxadj prior-auths``: load, list and revoke prior authorizations on file.

Loads are all or nothing: a file with any bad row, a member not on file or a
revoked number reloaded changes nothing and exits 1 naming each problem. Every
change is audited in the ledger with who made it; running services see it within
about a second. Exit status: 0 done, 1 refused, 2 the file cannot be read.
"""

from __future__ import annotations

import datetime as dt
import getpass
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from api.commands.claims import load_runtime
from engine.priorauth.csvfile import load_prior_auths
from engine.priorauth.directory import PriorAuthError
from engine.priorauth.model import PriorAuthorization
from engine.sourcefile import SourceFileError
from engine.store.base import StoreError

__all__ = ["app"]

app = typer.Typer(
    help="Prior authorizations on file: load, list, revoke.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def _status(pa: PriorAuthorization, today: dt.date) -> str:
    if pa.revoked_on is not None:
        return f"revoked {pa.revoked_on} ({pa.revoke_reason})"
    if today < pa.start:
        return "not yet in force"
    return "expired" if today > pa.end else "in force"


@app.command("load")
def load(
    file: Annotated[Path, typer.Argument(help="A CSV of approvals (engine/priorauth/csvfile.py).")],
) -> None:
    """Add or update approvals from a CSV file, all or nothing."""
    if not file.is_file():
        typer.echo(f"{file}: no such file", err=True)
        raise typer.Exit(2)
    try:
        approvals = load_prior_auths(file)
    except SourceFileError as exc:
        for issue in exc.issues:
            typer.echo(str(issue), err=True)
        typer.echo(f"{len(exc.issues)} problem(s): nothing loaded", err=True)
        raise typer.Exit(1) from None
    runtime = load_runtime()
    try:
        outcomes = runtime.prior_auths.merge(approvals, getpass.getuser())
    except (PriorAuthError, StoreError) as exc:
        typer.echo(f"{exc}: nothing loaded", err=True)
        raise typer.Exit(1) from None
    finally:
        runtime.close()
    counts = Counter(outcomes)
    typer.echo(
        f"{len(outcomes)} approvals: {counts['added']} added, {counts['changed']} changed, "
        f"{counts['unchanged']} unchanged"
    )


@app.command("list")
def list_(
    cardholder_id: Annotated[str, typer.Argument(help="The family's cardholder id.")],
) -> None:
    """Every approval of a family, with its status today."""
    runtime = load_runtime()
    try:
        approvals = runtime.prior_auths.for_cardholder(cardholder_id)
    finally:
        runtime.close()
    if not approvals:
        typer.echo(f"no prior authorizations on file for {cardholder_id}")
        return
    today = dt.date.today()
    table = Table(title=f"prior authorizations of {cardholder_id}")
    for column in ("number", "person", "drug", "from", "to", "lifts", "approved by", "status"):
        table.add_column(column)
    for pa in approvals:
        table.add_row(
            pa.number,
            pa.person_code,
            pa.drug,
            pa.start.isoformat(),
            pa.end.isoformat(),
            " ".join(sorted(pa.lifts)),
            pa.approved_by,
            _status(pa, today),
        )
    Console().print(table)


@app.command("revoke")
def revoke(
    number: Annotated[str, typer.Argument(help="The PA number.")],
    reason: Annotated[str, typer.Option(help="Why (kept in the audit log).")],
    on: Annotated[
        str | None, typer.Option(help="Last date of service it covers (default: today).")
    ] = None,
) -> None:
    """Revoke an approval: claims dated after ``--on`` no longer pass with it."""
    try:
        day = dt.date.fromisoformat(on) if on else dt.date.today()
    except ValueError as exc:
        typer.echo(f"--on: {exc}", err=True)
        raise typer.Exit(2) from None
    runtime = load_runtime()
    try:
        pa = runtime.prior_auths.revoke(number, day, getpass.getuser(), reason)
    except (PriorAuthError, StoreError) as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    finally:
        runtime.close()
    typer.echo(f"PA {pa.number} revoked: claims dated after {day} no longer pass with it")
