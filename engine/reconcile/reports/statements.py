"""Aged receivable statements: per payer, open claims aged 30/60/90+, as PDF and by email.

A statement is what CRAM21 mailed to delinquent payers: the payer's open items
by store with their ages, and totals per age bucket. ``send_statements`` emails
each through SMTP when a server is configured; a payer with no address in the
tolerance rules (``statement_to``) and none given is skipped and reported.
"""

from __future__ import annotations

import datetime as dt
import smtplib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from email.message import EmailMessage

from sqlalchemy import Connection, select

from engine.money import format_cents
from engine.reconcile.reports.model import lines
from engine.reconcile.reports.params import ReportParams
from engine.reconcile.reports.pdfout import report_pdf
from engine.reconcile.reports.receivables import aging_detail
from engine.reconcile.sql.tables import ITEMS

__all__ = ["SmtpConfig", "Statement", "aged_statements", "send_statements"]


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    """Where and how to send mail; a password is never logged or shown."""

    host: str
    port: int = 25
    sender: str = "receivables@localhost"
    username: str | None = None
    password: str | None = None
    starttls: bool = False


@dataclass(frozen=True, slots=True)
class Statement:
    """One payer's statement: its open claims, balance and PDF."""

    payer: str
    claims: int
    balance: int
    pdf: bytes
    to: str | None = None


def aged_statements(
    conn: Connection, as_of: dt.date, payers: Sequence[str] = ()
) -> list[Statement]:
    """A statement for each payer with open claims (or for the payers named)."""
    wanted = list(payers) or list(
        conn.execute(
            select(ITEMS.c.payer).where(ITEMS.c.status == "open").distinct().order_by(ITEMS.c.payer)
        ).scalars()
    )
    statements = []
    for payer in wanted:
        report = aging_detail(conn, ReportParams(as_of=as_of, payer=payer))
        total = lines(report)[-1]
        balance = int(total.values.get("balance", 0))
        report = replace(
            report,
            name="statement",
            title=f"Statement of open claims for payer {payer} as of {as_of}",
            notes=[
                f"{total.count} open claim(s), balance due {format_cents(balance)}. "
                "Please remit or tell us why these claims are unpaid."
            ],
        )
        statements.append(Statement(payer, total.count, balance, report_pdf(report)))
    return statements


def send_statements(
    statements: Sequence[Statement],
    config: SmtpConfig,
    address: Callable[[str], str | None],
    as_of: dt.date,
) -> tuple[list[Statement], list[str]]:
    """Email each statement to its payer's address; (sent, payers skipped for no address)."""
    sent: list[Statement] = []
    skipped: list[str] = []
    with smtplib.SMTP(config.host, config.port, timeout=30) as smtp:
        if config.starttls:
            smtp.starttls()
        if config.username:
            smtp.login(config.username, config.password or "")
        for statement in statements:
            to = address(statement.payer)
            if not to:
                skipped.append(statement.payer)
                continue
            message = EmailMessage()
            message["From"] = config.sender
            message["To"] = to
            message["Subject"] = f"Open claims statement as of {as_of} ({statement.payer})"
            message.set_content(
                f"Attached: {statement.claims} open claim(s), balance due "
                f"{format_cents(statement.balance)}, aged 30/60/90+ days."
            )
            message.add_attachment(
                statement.pdf,
                maintype="application",
                subtype="pdf",
                filename=f"statement-{statement.payer}-{as_of}.pdf",
            )
            smtp.send_message(message)
            sent.append(replace(statement, to=to))
    return sent, skipped
