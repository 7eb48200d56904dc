"""``rxadj members load FILE``: eligibility from a CSV or a members file (JSON or YAML).

The CSV columns and the merge rules are documented in ``engine.loading.members``:
loading is idempotent, never deletes a coverage record, and a termination or plan
change takes effect for claims dated after it. Claims read members from the
database from the next lookup on (other running processes within
``RXADJ_MEMBER_CACHE_TTL`` seconds). Exit status: 0 every family accepted or
unchanged, 1 some rejected, 2 the file cannot be read.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from api.commands.claims import load_runtime
from api.commands.medical import print_summary, progress_bar
from engine.loading.members import csv_families, document_families, load_members
from engine.store.base import StoreError

__all__ = ["app", "load"]

app = typer.Typer(
    help="Members and their coverage (eligibility).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def _count_families(path: Path) -> int:
    """Families in an eligibility CSV (the progress bar counts families)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return len({row.get("cardholder_id") for row in csv.DictReader(handle)})


@app.command("load")
def load(
    file: Annotated[
        Path, typer.Argument(help="Eligibility CSV, or a members file (.json, .yaml).")
    ],
) -> None:
    """Add and update families, persons and coverage records from a file."""
    console = Console()
    is_csv = file.suffix.lower() == ".csv"
    try:
        total = _count_families(file) if is_csv else 0
        if is_csv:
            handle = file.open(encoding="utf-8", newline="")
            parsed = csv_families(handle)
        else:
            families = list(document_families(file))
            total = len(families)
            parsed = iter(families)
    except OSError as exc:
        typer.echo(f"{file}: cannot read: {exc.strerror}", err=True)
        raise typer.Exit(2) from None
    except ValueError as exc:
        typer.echo(f"{file}: {exc}", err=True)
        raise typer.Exit(2) from None
    runtime = load_runtime()
    assert runtime.directory is not None  # a configured runtime always has its SQL members
    try:
        with progress_bar(console, f"loading {file.name}", total) as advance:
            summary = load_members(parsed, runtime.directory, advance)
    except StoreError as exc:
        typer.echo(f"the load stopped: {exc}", err=True)
        raise typer.Exit(2) from None
    finally:
        if is_csv:
            handle.close()
        runtime.close()
    print_summary(console, summary, "unchanged")
    if summary.rejected:
        raise typer.Exit(1)
