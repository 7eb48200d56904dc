"""``rxadj recon`` lookup, correct, archive, archives, archive-search and restore."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from api.commands.recon.common import actor, database, fail, parse_day, settings
from engine.money import format_cents
from engine.reconcile.errors import ReconError
from engine.reconcile.sql import (
    archive_closed,
    correct_item,
    find_items,
    get_item,
    list_archives,
    restore_archive,
    search_archive,
)

__all__ = [
    "archive_command",
    "archive_search_command",
    "archives_command",
    "correct_command",
    "lookup_command",
    "restore_command",
]

_SHOWN = ("id", "store", "rx_number", "fill_number", "date_of_service", "payer", "payer_seq")


def _items(title: str, rows: list[dict[str, object]]) -> None:
    table = Table(title=title)
    for name in (*_SHOWN, "billing_method", "status", "due", "paid", "markdown", "reason"):
        table.add_column(name)
    for row in rows:
        table.add_row(
            *(str(row.get(name, "")) for name in _SHOWN),
            str(row["billing_method"]),
            str(row["status"]),
            format_cents(int(row["amount_due"])),  # type: ignore[call-overload]
            format_cents(int(row["amount_paid"])),  # type: ignore[call-overload]
            format_cents(int(row["markdown"])),  # type: ignore[call-overload]
            str(row.get("reason") or ""),
        )
    Console().print(table)


def lookup_command(
    store: Annotated[str | None, typer.Option(help="Store (pharmacy) id.")] = None,
    rx: Annotated[int | None, typer.Option(help="Prescription number.")] = None,
    date: Annotated[str | None, typer.Option(help="Date dispensed.")] = None,
    payer: Annotated[str | None, typer.Option(help="Payer id.")] = None,
    status: Annotated[str | None, typer.Option(help="open, paid, denied or reversed.")] = None,
    page: Annotated[int, typer.Option(help="Page of 50, from 1.")] = 1,
    item: Annotated[int | None, typer.Option(help="One item by id, with its payments.")] = None,
) -> None:
    """Find receivables by store, prescription, date and payer; page through the family."""
    with database(settings()) as engine, engine.connect() as conn:
        if item is not None:
            try:
                found = get_item(conn, item)
            except ReconError as exc:
                raise fail(str(exc)) from None
            typer.echo(json.dumps(found, indent=2, default=str))
            return
        rows = find_items(
            conn,
            store=store,
            rx_number=rx,
            date_of_service=parse_day(date) if date else None,
            payer=payer,
            status=status,
            limit=50,
            offset=50 * (max(page, 1) - 1),
        )
    _items(f"receivables, page {page}", rows)


def correct_command(
    item: Annotated[int, typer.Argument(help="The receivable's id.")],
    set_: Annotated[list[str], typer.Option("--set", help="FIELD=VALUE; repeat for more.")],
    reason: Annotated[str, typer.Option(help="Why (kept in the audit log).")],
) -> None:
    """Correct a receivable; the change is audit-logged with who, when, before and after."""
    changes: dict[str, str | None] = {}
    for pair in set_:
        name, sep, value = pair.partition("=")
        if not sep:
            raise fail(f"--set {pair!r}: write FIELD=VALUE")
        changes[name.strip()] = value.strip() or None
    with database(settings()) as engine, engine.begin() as conn:
        try:
            before, after = correct_item(conn, item, changes, actor=actor(), reason=reason)
        except ReconError as exc:
            raise fail(str(exc)) from None
    for name in after:
        typer.echo(f"{name}: {before[name]} -> {after[name]}")


def archive_command(
    before: Annotated[str, typer.Option(help="Archive closed items settled before this date.")],
) -> None:
    """Move closed items (and their payments) into a compressed archive; audited."""
    day = parse_day(before)
    with database(settings()) as engine, engine.begin() as conn:
        result = archive_closed(conn, day, actor=actor())
    if result.archive_id is None:
        typer.echo(f"no closed items settled before {day}")
        return
    typer.echo(
        f"archive {result.archive_id}: {result.items} item(s), {result.payments} payment(s), "
        f"due {format_cents(result.amount_due)}, paid {format_cents(result.amount_paid)}"
    )


def archives_command() -> None:
    """List the archives."""
    with database(settings()) as engine, engine.connect() as conn:
        rows = list_archives(conn)
    table = Table(title="archives")
    for name in ("id", "at", "actor", "before", "items", "payments", "restored_at"):
        table.add_column(name)
    for row in rows:
        table.add_row(
            *(
                str(row[name] or "")
                for name in ("id", "at", "actor", "before", "items", "payments", "restored_at")
            )
        )
    Console().print(table)


def archive_search_command(
    archive: Annotated[int | None, typer.Option(help="Only this archive.")] = None,
    store: Annotated[str | None, typer.Option(help="Store id.")] = None,
    rx: Annotated[int | None, typer.Option(help="Prescription number.")] = None,
    payer: Annotated[str | None, typer.Option(help="Payer id.")] = None,
    date: Annotated[str | None, typer.Option(help="Date dispensed.")] = None,
) -> None:
    """Search archived items by their keys."""
    with database(settings()) as engine, engine.connect() as conn:
        rows = search_archive(
            conn,
            archive_id=archive,
            store=store,
            rx_number=rx,
            payer=payer,
            date_of_service=parse_day(date) if date else None,
        )
    _items("archived receivables", rows)


def restore_command(archive: Annotated[int, typer.Argument(help="The archive's id.")]) -> None:
    """Put an archive's items and payments back; audited."""
    with database(settings()) as engine, engine.begin() as conn:
        try:
            counts = restore_archive(conn, archive, actor=actor())
        except ReconError as exc:
            raise fail(str(exc)) from None
    typer.echo(f"restored {counts['item']} item(s) and {counts['payment']} payment(s)")
