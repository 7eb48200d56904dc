"""What every ``rxadj recon`` command needs: the database, the tolerance rules, the actor.

Reconciliation reads and writes only the SQL database, so these commands open it
directly (bringing its schema up to date) instead of building the claim runtime,
which would replay every accumulator. Problems are one line on stderr, exit 2.
"""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from sqlalchemy import Engine

from api.settings import Settings, SettingsError
from engine.catalog.publication import PublicationStore
from engine.reconcile.tolerance import ToleranceBook, load_tolerances
from engine.sourcefile import SourceFileError
from engine.store.base import StoreError
from engine.store.sql.database import connect, database_errors, migrate

__all__ = ["actor", "database", "fail", "parse_day", "progress", "tolerance_book"]


def fail(message: str) -> typer.Exit:
    """Print one line on stderr; the caller raises the returned exit (status 2)."""
    typer.echo(message, err=True)
    return typer.Exit(2)


def settings() -> Settings:
    """The settings from the environment."""
    try:
        return Settings.from_env()
    except SettingsError as exc:
        raise fail(str(exc)) from None


def tolerance_book(current: Settings) -> ToleranceBook:
    """The shipped tolerance files overlaid with the versions published since."""
    files = PublicationStore(current.published_dir).catalog_files([current.rules_dir])
    try:
        return load_tolerances(files)
    except SourceFileError as exc:
        raise fail(f"tolerance rules do not load: {exc.issues[0]}") from None


@contextmanager
def database(current: Settings) -> Iterator[Engine]:
    """A writer engine on the ledger database, its schema migrated."""
    try:
        engine = connect(current.database_url, writer=True)
        with database_errors():
            migrate(engine)
    except StoreError as exc:
        raise fail(str(exc)) from None
    try:
        yield engine
    finally:
        engine.dispose()


def actor() -> str:
    """Who runs the command, for the audit log."""
    return f"cli:{getpass.getuser()}"


def parse_day(text: str | None, default: dt.date | None = None) -> dt.date:
    """A YYYY-MM-DD option, or the default (today)."""
    if not text:
        return default or dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise fail(f"{text!r} is not a date (YYYY-MM-DD)") from None


@contextmanager
def progress(console: Console, title: str) -> Iterator[Callable[[str], None]]:
    """A live line showing the current step and the time spent; yields the step callback."""
    with Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as bar:
        task = bar.add_task(title, total=None)

        def step(message: str) -> None:
            bar.update(task, description=f"{title}: {message}")

        yield step
        bar.update(task, description=f"{title}: done", total=1, completed=1)
