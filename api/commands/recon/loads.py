"""``rxadj recon load-claims``, ``load-payments`` and ``run``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine

from api.commands.recon.common import (
    actor,
    database,
    fail,
    parse_day,
    progress,
    settings,
    tolerance_book,
)
from engine.money import MoneyError, format_cents, parse_dollars
from engine.reconcile.claims import ClaimProblem, read_batch_claims, read_claim_csv
from engine.reconcile.errors import AlreadyLoaded, ClaimFileError, RemittanceFileError
from engine.reconcile.remit import read_payment_file
from engine.reconcile.sql import (
    ClaimLoad,
    load_claims,
    load_ledger_claims,
    reconcile,
    store_payments,
)

__all__ = ["load_claims_command", "load_payments_command", "run_command"]

_SHOWN = 25


def _counts(console: Console, title: str, counts: dict[str, int]) -> None:
    table = Table(title=title, show_header=False)
    for name, count in sorted(counts.items()):
        table.add_row(name.replace("_", " "), str(count))
    console.print(table)


def _read(file: Path) -> bytes:
    try:
        return file.read_bytes()
    except OSError as exc:
        raise fail(f"{file}: cannot read: {exc.strerror}") from None


def _load_batch(
    engine: Engine, responses: Path, requests: Path, aging: dt.date, console: Console
) -> ClaimLoad:
    """Pair a response batch with its request batch and load the claims (or refuse both)."""
    try:
        claims = read_batch_claims(
            _read(responses),
            _read(requests),
            responses_name=str(responses),
            requests_name=str(requests),
        )
    except ClaimFileError as exc:
        raise fail(str(exc)) from None
    with engine.begin() as conn:
        result = load_claims(
            conn, claims.items, source=claims.source, actor=actor(), aging_date=aging
        )
    problems = [item for item in claims.items if isinstance(item, ClaimProblem)]
    for problem in problems[:_SHOWN]:
        console.print(f"  record {problem.row}: {problem.reason}")
    if len(problems) > _SHOWN:
        console.print(f"  ... {len(problems) - _SHOWN} more (rxadj recon report claims-invalid)")
    console.print(
        f"{claims.unanswered} of {claims.requests} request transaction(s) have no response here"
    )
    return result


def load_claims_command(
    files: Annotated[
        list[Path] | None, typer.Argument(help="Claim CSV files; none: the ledger's paid claims.")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option(help="Aging date of the batch (default today).")
    ] = None,
    ncpdp_batch: Annotated[
        Path | None,
        typer.Option(help="An NCPDP Batch 1.2 response file (needs --requests)."),
    ] = None,
    requests: Annotated[
        Path | None,
        typer.Option(help="The request batch it answers: fill numbers and BINs come from it."),
    ] = None,
) -> None:
    """Load claims into receivables; report valid, duplicate, zero balance and the rest."""
    if (ncpdp_batch is None) != (requests is None):
        raise fail(
            "--ncpdp-batch and --requests go together: a D.0 response carries no fill number"
            " (403-D3) and no BIN, so its request batch is needed"
        )
    if ncpdp_batch is not None and files:
        raise fail("give claim CSV files or --ncpdp-batch, not both")
    console = Console()
    current = settings()
    aging = parse_day(as_of)
    with database(current) as engine, progress(console, "loading claims") as step:
        if ncpdp_batch is not None and requests is not None:
            step(f"pairing {ncpdp_batch.name} with {requests.name}")
            results = [_load_batch(engine, ncpdp_batch, requests, aging, console)]
        elif not files:
            step("reading the ledger")
            with engine.begin() as conn:
                result = load_ledger_claims(conn, actor=actor(), aging_date=aging)
            console.print(f"ledger: {result.reversed} open claim(s) closed as reversed")
            results = [result]
        else:
            results = []
            for file in files:
                step(file.name)
                try:
                    handle = file.open(encoding="utf-8", newline="")
                except OSError as exc:
                    raise fail(f"{file}: cannot read: {exc.strerror}") from None
                with handle, engine.begin() as conn:
                    try:
                        results.append(
                            load_claims(
                                conn,
                                read_claim_csv(handle),
                                source=str(file),
                                actor=actor(),
                                aging_date=aging,
                            )
                        )
                    except ValueError as exc:
                        raise fail(f"{file}: {exc}") from None
    for result in results:
        _counts(console, f"claims load {result.batch_id}", result.counts)
        console.print(f"amount due added: {format_cents(result.amount_due)}")


def load_payments_command(
    file: Annotated[Path, typer.Argument(help="An X12 835 file or a payment CSV.")],
    total: Annotated[
        str | None, typer.Option(help="Control total in dollars the file must add up to.")
    ] = None,
) -> None:
    """Load a payment file whole (or nothing of it); bad rows are reported, never stop it."""
    console = Console()
    current = settings()
    try:
        control = None if total is None else parse_dollars(total)
    except MoneyError as exc:
        raise fail(f"--total: {exc}") from None
    book = tolerance_book(current)
    with progress(console, f"loading {file.name}") as step:
        step("reading and checking")
        try:
            parsed = read_payment_file(file, control)
        except RemittanceFileError as exc:
            for issue in exc.issues[:_SHOWN]:
                typer.echo(f"{exc.source}: {issue}", err=True)
            typer.echo(f"{file}: not loaded ({len(exc.issues)} problem(s))", err=True)
            raise typer.Exit(1) from None
        step(f"storing {parsed.claims} claim payment(s)")
        with database(current) as engine, engine.begin() as conn:
            try:
                result = store_payments(conn, parsed, book, actor=actor())
            except AlreadyLoaded as exc:
                raise fail(str(exc)) from None
    console.print(
        f"{file.name}: {len(result.batches)} payment(s), {result.claims} claim payment(s), "
        f"{format_cents(result.paid)} paid, {format_cents(result.provider)} provider adjustments"
    )
    for line, reason in result.skipped[:_SHOWN]:
        console.print(f"  row {line} skipped: {reason}")
    if result.rejected or result.skipped:
        console.print(f"{result.rejected} row(s) kept as rejected, {len(result.skipped)} skipped")
        raise typer.Exit(1)


def run_command() -> None:
    """Reconcile every waiting payment against the open claims."""
    console = Console()
    current = settings()
    book = tolerance_book(current)
    with (
        database(current) as engine,
        progress(console, "reconciling") as step,
        engine.begin() as conn,
    ):
        result = reconcile(conn, book, actor=actor(), step=step)
    _counts(console, f"reconciliation run {result.run_id}", result.counts)
    console.print(f"markdowns recorded: {format_cents(result.markdown)}")
    for rule in result.rules:
        console.print(f"rule used: {rule}")
