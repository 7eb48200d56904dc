"""``rxadj accumulators``: rebuild, verify, recover and export, against the ledger.

- ``rebuild`` recomputes the accumulator store exactly from the ledger's
  accumulation rows. On Redis it wipes the prefix, waits one ledger lease (so
  that claims applied just before land in the ledger first), replays and marks
  the slots built; claims arriving meanwhile are refused (not acknowledged).
  Without Redis the accumulators live in memory and every start rebuilds them.
- ``verify`` lists every difference (family, plan year, field, ledger, store) and
  exits 1 if there is any. Versions are concurrency tokens and are not compared.
- ``recover`` runs crash recovery now (start-up runs it too; see
  ``engine.recovery``) and prints what it repaired.
- ``export`` writes accumulator changes recorded since a time, for a partner
  (columns in ``engine.loading.export``); it never overwrites a file.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from api.commands.claims import load_runtime
from engine.accumulators import MEDICAL, PHARMACY, AccumulatorTxn, FamilyKey
from engine.loading.export import write_changes
from engine.rebuild import compare, replay_into_memory
from engine.store.base import StoreError

__all__ = ["app"]

app = typer.Typer(
    help="Accumulators against the ledger: rebuild, verify, recover, export.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.command("rebuild")
def rebuild() -> None:
    """Recompute the accumulator store exactly from the ledger."""
    runtime = load_runtime()
    assert runtime.sql is not None
    sql = runtime.sql
    try:

        def rows() -> Iterator[tuple[FamilyKey, AccumulatorTxn]]:
            return ((row.key, row.txn) for row in sql.accumulator_rows())

        if runtime.redis is None:
            problems = replay_into_memory(rows()).problems
            where = "memory (rebuilt at every start; nothing persisted)"
        else:
            epoch = dt.datetime.now(dt.UTC).isoformat()
            problems = runtime.redis.rebuild(rows, epoch, runtime.settings.ledger_lease)
            where = f"redis prefix {runtime.settings.redis_prefix!r}"
            sql.audit("accumulators.rebuilt", None, {"problems": problems})
    except StoreError as exc:
        typer.echo(f"rebuild failed: {exc}", err=True)
        raise typer.Exit(2) from None
    finally:
        runtime.close()
    typer.echo(f"rebuilt accumulators in {where} from the ledger")
    for problem in problems:
        typer.echo(f"ledger row refused on replay: {problem}", err=True)
    if problems:
        raise typer.Exit(1)


@app.command("verify")
def verify() -> None:
    """Compare the accumulator store with the ledger; list every difference, exit 1 if any."""
    runtime = load_runtime()
    assert runtime.sql is not None
    try:
        if runtime.redis is None:
            typer.echo("accumulators are in memory, replayed from the ledger at start: they agree")
            return
        rows = ((row.key, row.txn) for row in runtime.sql.accumulator_rows())
        differences, problems = compare(rows, runtime.redis)
    except StoreError as exc:
        typer.echo(f"verify failed: {exc}", err=True)
        raise typer.Exit(2) from None
    finally:
        runtime.close()
    for problem in problems:
        typer.echo(f"ledger row refused on replay: {problem}", err=True)
    if not differences:
        typer.echo("accumulators agree with the ledger")
        if problems:
            raise typer.Exit(1)
        return
    table = Table(title=f"{len(differences)} difference(s): ledger vs store")
    for name in ("family", "plan year", "field", "ledger", "store"):
        table.add_column(name)
    for d in differences:
        table.add_row(d.cardholder_id, d.plan_year, d.field, d.ledger, d.store)
    Console(width=200).print(table)
    raise typer.Exit(1)


@app.command("recover")
def recover_now() -> None:
    """Run crash recovery now and print what it did (start-up does this too)."""
    runtime = load_runtime()
    runtime.close()
    report = runtime.recovery
    if report is None:
        typer.echo("accumulators are in memory, replayed from the ledger at start: nothing to do")
        return
    typer.echo(
        f"confirmed {len(report.confirmed)}, undone {len(report.undone)}, "
        f"reversals kept {len(report.kept_reversals)}, adopted {len(report.adopted)}, "
        f"left for later {len(report.skipped)}"
    )


def _moment(text: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        typer.echo(f"not a date or time: {text!r} (use ISO 8601)", err=True)
        raise typer.Exit(2) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


@app.command("export")
def export(
    since: Annotated[
        str, typer.Option(help="Changes recorded after this (ISO 8601; UTC if no zone).")
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="A new CSV file, or - for stdout.")
    ],
    origin: Annotated[
        str, typer.Option(help="pharmacy (default), medical or all amounts.")
    ] = "pharmacy",
) -> None:
    """Write accumulator changes since a time for a partner (CSV, never overwritten)."""
    origins = {
        "pharmacy": frozenset({PHARMACY}),
        "medical": frozenset({MEDICAL}),
        "all": frozenset({PHARMACY, MEDICAL}),
    }.get(origin)
    if origins is None:
        typer.echo(f"--origin must be pharmacy, medical or all, not {origin!r}", err=True)
        raise typer.Exit(2)
    start = _moment(since)
    if str(output) != "-" and output.exists():
        typer.echo(f"{output} exists: a sent file is never overwritten", err=True)
        raise typer.Exit(2)
    runtime = load_runtime()
    assert runtime.sql is not None
    try:
        rows = runtime.sql.accumulator_rows(since=start)
        if str(output) == "-":
            lines, last = write_changes(rows, sys.stdout, origins=origins)
        else:
            with output.open("x", encoding="utf-8", newline="") as handle:
                lines, last = write_changes(rows, handle, origins=origins)
    except StoreError as exc:
        typer.echo(f"export failed: {exc}", err=True)
        raise typer.Exit(2) from None
    finally:
        runtime.close()
    after = last.isoformat() if last else since
    typer.echo(f"{lines} line(s); next export: --since {after}", err=True)
