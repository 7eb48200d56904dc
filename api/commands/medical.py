"""``rxadj medical load FILE``: medical accumulator transactions from a carrier's CSV.

The columns are documented in ``engine.loading.medical``. Every row is applied at
most once (by its id) to the plan year of its date of service and recorded in the
ledger; a bad row is rejected with its reason and the load goes on. Exit status:
0 all rows accepted or duplicate, 1 some rows rejected, 2 the file cannot be read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
from rich.table import Table

from api.commands.claims import load_runtime
from engine.loading.medical import load_medical, medical_rows
from engine.loading.summary import LoadSummary
from engine.store.base import StoreError

__all__ = ["app", "load", "print_summary", "progress_bar"]

app = typer.Typer(
    help="Medical accumulator transactions from carriers.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

_SHOWN = 25


@contextmanager
def progress_bar(console: Console, title: str, total: int) -> Iterator[Callable[[int], None]]:
    """A rich progress bar; yields the function that advances it."""
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    ) as progress:
        task = progress.add_task(title, total=total)
        yield lambda n: progress.advance(task, n)


def print_summary(console: Console, summary: LoadSummary, duplicate_label: str) -> None:
    """The counts by outcome, then the first rejections with row, id and reason."""
    counts = Table(title="Summary", show_header=False)
    counts.add_row("rows read", str(summary.total))
    counts.add_row("accepted", str(summary.accepted))
    counts.add_row(duplicate_label, str(summary.duplicate))
    counts.add_row("rejected", str(len(summary.rejected)))
    console.print(counts)
    if not summary.rejected:
        return
    table = Table(title=f"Rejected rows (first {min(_SHOWN, len(summary.rejected))})")
    for name in ("row", "id", "reason"):
        table.add_column(name)
    for problem in summary.rejected[:_SHOWN]:
        table.add_row(str(problem.row), problem.id or "", problem.reason)
    console.print(table)


def count_lines(path: Path) -> int:
    """Data rows in a CSV file (lines after the header), for the progress bar's total."""
    with path.open("rb") as handle:
        return max(0, sum(1 for _ in handle) - 1)


@app.command("load")
def load(
    file: Annotated[Path, typer.Argument(help="Medical accumulator CSV (see the columns).")],
) -> None:
    """Apply a carrier's medical deductible and out-of-pocket amounts, row by row."""
    console = Console()
    try:
        total = count_lines(file)
        handle = file.open(encoding="utf-8", newline="")
    except OSError as exc:
        typer.echo(f"{file}: cannot read: {exc.strerror}", err=True)
        raise typer.Exit(2) from None
    runtime = load_runtime()
    assert runtime.sql is not None  # a configured runtime always has its SQL ledger
    try:
        with handle:
            rows = medical_rows(handle)
            with progress_bar(console, f"loading {file.name}", total) as advance:
                summary = load_medical(
                    rows,
                    runtime.catalog,
                    runtime.members,
                    runtime.accumulators,
                    runtime.sql,
                    source_file=str(file),
                    progress=advance,
                )
    except ValueError as exc:
        typer.echo(f"{file}: {exc}", err=True)
        raise typer.Exit(2) from None
    except StoreError as exc:
        typer.echo(f"the load stopped: {exc}", err=True)
        raise typer.Exit(2) from None
    finally:
        runtime.close()
    print_summary(console, summary, "duplicate")
    if summary.rejected:
        raise typer.Exit(1)
