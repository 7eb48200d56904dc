"""The ``rxadj`` command line: one entry point that assembles each area's commands.

Commands report bad input as one line on stderr with exit status 2, never a
traceback; exit status 1 means the command ran and found problems (a failed
validation, say).
"""

from __future__ import annotations

import typer

from api.commands import (
    accumulators,
    claims,
    compliance,
    demo,
    keys,
    medical,
    members,
    ncpdp,
    plans,
    priorauth,
    publishing,
    recon,
)
from api.commands.bench import bench
from api.commands.plan_tests import plan_tests
from api.commands.serve import serve

__all__ = ["app", "main"]

app = typer.Typer(
    name="rxadj",
    help="Real-time NCPDP pharmacy claim adjudication and accumulators.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(ncpdp.app, name="ncpdp")
app.add_typer(accumulators.app, name="accumulators")
app.add_typer(members.app, name="members")
app.add_typer(medical.app, name="medical")
app.add_typer(keys.app, name="keys")
app.add_typer(publishing.app, name="plans")
app.add_typer(priorauth.app, name="prior-auths")
app.add_typer(recon.app, name="recon")
app.command()(plans.validate)
app.command()(claims.adjudicate)
app.command()(demo.demo)
app.command()(compliance.compliance)
app.command()(bench)
app.command()(serve)
app.command("test-plans")(plan_tests)


def main() -> None:
    """Run the command line (the ``rxadj`` console script)."""
    app()
