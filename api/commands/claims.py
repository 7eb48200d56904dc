"""``rxadj adjudicate``: claims in (NCPDP bytes or JSON), responses out.

Accumulators carry across the files of one call. Any readable transmission gets a
response — an unknown BIN, member or plan is an NCPDP reject and the command still
exits 0; exit 2 is only for input that cannot be read at all.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import TypeAdapter, ValidationError

from api.claims_json import JsonClaim
from api.runtime import Runtime, RuntimeUnavailable, build_runtime
from api.settings import Settings, SettingsError
from engine.adjudication.request import transmission_from_claims
from engine.adjudication.serialize import decision_to_dict
from engine.adjudication.transmission import adjudicate_transmission
from engine.ncpdp import decode, encode, to_json_obj
from engine.sourcefile import SourceFileError
from engine.store.base import StoreError

__all__ = ["adjudicate", "load_runtime"]

_JSON_CLAIMS = TypeAdapter(JsonClaim | list[JsonClaim])


class OutputFormat(StrEnum):
    """How responses are written."""

    NCPDP = "ncpdp"
    JSON = "json"


def load_runtime(*, embedded: bool = False) -> Runtime:
    """Build the runtime from the environment; configuration problems exit 2 in one line."""
    try:
        return build_runtime(Settings.from_env(), embedded=embedded)
    except SourceFileError as exc:
        typer.echo(
            f"plans and rules do not load: {exc.issues[0]} "
            f"({len(exc.issues)} problem(s); run rxadj validate)",
            err=True,
        )
        raise typer.Exit(2) from None
    except (RuntimeUnavailable, SettingsError) as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None


def _read(path: Path) -> bytes:
    if str(path) == "-":
        return sys.stdin.buffer.read()
    try:
        return path.read_bytes()
    except OSError as exc:
        typer.echo(f"{path}: cannot read: {exc.strerror}", err=True)
        raise typer.Exit(2) from None


def _json_claims(path: Path, data: bytes) -> list[JsonClaim]:
    try:
        parsed = _JSON_CLAIMS.validate_json(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        typer.echo(f"{path}: not a JSON claim: {where}: {first['msg']}", err=True)
        raise typer.Exit(2) from None
    return parsed if isinstance(parsed, list) else [parsed]


def adjudicate(
    files: Annotated[
        list[Path], typer.Argument(help="NCPDP request files or JSON claims; - for stdin.")
    ],
    output: Annotated[OutputFormat, typer.Option("--output", "-o", help="Response format.")] = (
        OutputFormat.JSON
    ),
    received: Annotated[
        str | None,
        typer.Option(help="Processing date (YYYY-MM-DD); default today."),
    ] = None,
) -> None:
    """Adjudicate claims against the loaded plans and print the responses."""
    try:
        today = dt.date.fromisoformat(received) if received else dt.date.today()
    except ValueError:
        typer.echo(f"--received: not a date: {received!r}", err=True)
        raise typer.Exit(2) from None
    runtime = load_runtime()
    try:
        results: list[Any] = []
        for path in files:
            data = _read(path)
            if data.lstrip()[:1] in (b"{", b"["):
                requests = [
                    encode(transmission_from_claims([c.to_claim()]))
                    for c in _json_claims(path, data)
                ]
            else:
                requests = [data.rstrip(b"\r\n")]
            for request in requests:
                result = adjudicate_transmission(request, runtime.processor, today)
                if output is OutputFormat.NCPDP:
                    sys.stdout.buffer.write(result.response + b"\n")
                    continue
                response = decode(result.response).transmission
                results.append(
                    {
                        "file": str(path),
                        "decisions": [decision_to_dict(d) for d in result.decisions],
                        "response": to_json_obj(response) if response is not None else None,
                    }
                )
    except StoreError as exc:
        typer.echo(f"claims could not be completed: {exc}", err=True)
        raise typer.Exit(2) from None
    finally:
        runtime.close()
    if output is OutputFormat.JSON:
        typer.echo(json.dumps(results, indent=2))
