"""``rxadj recon report NAME`` and ``rxadj recon statements``."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from api.commands.recon.common import database, fail, parse_day, settings, tolerance_book
from engine.reconcile.reports import REPORTS, ReportParams, build_report, report_csv, report_pdf
from engine.reconcile.reports.statements import SmtpConfig, aged_statements, send_statements

__all__ = ["report_command", "reports_command", "smtp_from_env", "statements_command"]


def reports_command() -> None:
    """List the reports."""
    table = Table(title="Reports")
    table.add_column("name")
    table.add_column("shows")
    for name, (shows, _) in REPORTS.items():
        table.add_row(name, shows)
    Console().print(table)


def report_command(
    name: Annotated[str, typer.Argument(help="A report name (rxadj recon reports lists them).")],
    format_: Annotated[str, typer.Option("--format", help="csv or pdf.")] = "csv",
    out: Annotated[Path | None, typer.Option(help="Write here (default: standard output).")] = None,
    batch: Annotated[int | None, typer.Option(help="Load batch (default: the latest).")] = None,
    run: Annotated[int | None, typer.Option(help="Run (default: the latest).")] = None,
    as_of: Annotated[str | None, typer.Option(help="Aging as of (default today).")] = None,
    before: Annotated[str | None, typer.Option(help="open-claims: loaded before.")] = None,
    on: Annotated[str | None, typer.Option(help="paid-claims: payment date.")] = None,
    payer: Annotated[str | None, typer.Option(help="Only this payer (aging reports).")] = None,
) -> None:
    """Write one report as CSV or PDF, sorted and totalled by store within billing method."""
    if name not in REPORTS:
        raise fail(f"no report {name!r}; rxadj recon reports lists them")
    if format_ not in ("csv", "pdf"):
        raise fail("--format is csv or pdf")
    if format_ == "pdf" and out is None:
        raise fail("a PDF needs --out FILE")
    params = ReportParams(
        as_of=parse_day(as_of),
        batch=batch,
        run=run,
        before=parse_day(before) if before else None,
        on=parse_day(on) if on else None,
        payer=payer,
    )
    with database(settings()) as engine, engine.connect() as conn:
        report = build_report(conn, name, params)
    if format_ == "pdf":
        assert out is not None
        out.write_bytes(report_pdf(report, generated=dt.datetime.now(dt.UTC)))
        typer.echo(f"{out}: {len(report.rows)} line(s)")
        return
    text = report_csv(report)
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"{out}: {len(report.rows)} line(s)")


def smtp_from_env() -> SmtpConfig | None:
    """SMTP settings from RXADJ_SMTP_HOST, _PORT, _FROM, _USER, _PASSWORD, _STARTTLS."""
    host = os.environ.get("RXADJ_SMTP_HOST")
    if not host:
        return None
    try:
        port = int(os.environ.get("RXADJ_SMTP_PORT") or 25)
    except ValueError:
        raise fail("RXADJ_SMTP_PORT is not a number") from None
    return SmtpConfig(
        host=host,
        port=port,
        sender=os.environ.get("RXADJ_SMTP_FROM") or "receivables@localhost",
        username=os.environ.get("RXADJ_SMTP_USER") or None,
        password=os.environ.get("RXADJ_SMTP_PASSWORD") or None,
        starttls=(os.environ.get("RXADJ_SMTP_STARTTLS") or "").lower() in ("1", "true", "yes"),
    )


def statements_command(
    out: Annotated[Path, typer.Option(help="Directory for the PDF statements.")] = Path("."),
    as_of: Annotated[str | None, typer.Option(help="Aging as of (default today).")] = None,
    payer: Annotated[list[str] | None, typer.Option(help="Only these payers.")] = None,
    send: Annotated[bool, typer.Option(help="Email them (RXADJ_SMTP_HOST must be set).")] = False,
    to: Annotated[str | None, typer.Option(help="Send every statement here instead.")] = None,
) -> None:
    """Aged receivable statements per payer, as PDF, and by email when asked."""
    current = settings()
    day = parse_day(as_of)
    config = smtp_from_env() if send else None
    if send and config is None:
        raise fail("--send needs RXADJ_SMTP_HOST (and RXADJ_SMTP_PORT, RXADJ_SMTP_FROM)")
    book = tolerance_book(current)
    with database(current) as engine, engine.connect() as conn:
        statements = aged_statements(conn, day, payer or ())
    out.mkdir(parents=True, exist_ok=True)
    for statement in statements:
        (out / f"statement-{statement.payer}-{day}.pdf").write_bytes(statement.pdf)
    typer.echo(f"{len(statements)} statement(s) written to {out}")
    if config is None:
        return
    try:
        sent, skipped = send_statements(
            statements, config, lambda p: to or book.statement_address(p, day), day
        )
    except OSError as exc:
        raise fail(f"mail not sent: {exc}") from None
    typer.echo(f"{len(sent)} emailed; no address for: {', '.join(skipped) or 'none'}")
