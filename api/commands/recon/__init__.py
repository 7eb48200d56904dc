"""``rxadj recon``: receivables, payments, reconciliation, reports, maintenance, archive."""

import typer

from api.commands.recon.loads import load_claims_command, load_payments_command, run_command
from api.commands.recon.maintenance import (
    archive_command,
    archive_search_command,
    archives_command,
    correct_command,
    lookup_command,
    restore_command,
)
from api.commands.recon.reports import report_command, reports_command, statements_command

__all__ = ["app"]

app = typer.Typer(
    help="Reconcile payer remittances against claims (accounts receivable).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.command("load-claims")(load_claims_command)
app.command("load-payments")(load_payments_command)
app.command("run")(run_command)
app.command("reports")(reports_command)
app.command("report")(report_command)
app.command("statements")(statements_command)
app.command("lookup")(lookup_command)
app.command("correct")(correct_command)
app.command("archive")(archive_command)
app.command("archives")(archives_command)
app.command("archive-search")(archive_search_command)
app.command("restore")(restore_command)
