"""``rxadj serve``: the HTTP service under granian, with N worker processes.

Each worker builds its own runtime from the environment (``create_app_from_env``).
Without Redis the accumulators live in each process's memory, so several workers
would each hold their own — the command then runs one worker and says so.
"""

from __future__ import annotations

import os
import sys
import tempfile
from typing import Annotated

import typer
from granian import Granian
from granian.constants import Interfaces

from api.settings import Settings, SettingsError

__all__ = ["serve"]


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8080,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 2,
) -> None:
    """Serve the HTTP API (claims, members, medical accumulators, plans, metrics)."""
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    if settings.redis_url is None and workers > 1:
        typer.echo(
            "RXADJ_REDIS_URL is not set: accumulators live in process memory, so rxadj "
            "serves with 1 worker (set RXADJ_REDIS_URL to run several)",
            err=True,
        )
        workers = 1
    if workers > 1 and "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="rxadj-metrics-")
    typer.echo(
        f"rxadj serving on http://{host}:{port} with {workers} worker(s); "
        f"OpenAPI at /schema/openapi.json",
        err=True,
    )
    sys.setswitchinterval(float(os.environ.get("RXADJ_SWITCH_INTERVAL", "0.005")))
    Granian(
        "api.http.app:create_app_from_env",
        address=host,
        port=port,
        interface=Interfaces.ASGI,
        workers=workers,
        factory=True,
        log_access=False,
    ).serve()
