"""``rxadj ncpdp``: decode D.0 bytes to JSON and encode that JSON back to the bytes.

``decode`` prints the transmission in the JSON form of ``engine.ncpdp.jsonform``
(money as exact dollar strings such as ``"55.70"``) and writes notices (unknown
segments or fields that were kept) to stderr. ``encode`` writes the bytes to stdout.
Bad input ends with exit status 2 and one line on stderr that names the offset,
segment and field and what is wrong. ``unbatch`` and ``batch`` do the same for an
NCPDP Batch 1.2 file (``engine.ncpdp.batchform`` gives its JSON form).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from engine.ncpdp import NcpdpError, decode, encode, from_json_obj, read_batch, to_json_obj
from engine.ncpdp.batchform import batch_from_json, batch_to_json

__all__ = ["app"]

app = typer.Typer(
    help="Decode and encode NCPDP Telecommunication D.0 transmissions and batch files.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

Source = Annotated[str, typer.Argument(help="Input file, or - for stdin.")]


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(2)


def _read(source: str) -> bytes:
    if source == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(source).read_bytes()
    except OSError as exc:
        raise _fail(f"cannot read {source}: {exc.strerror or exc}") from None


@app.command("decode")
def decode_command(source: Source = "-") -> None:
    """Print a request or response transmission as JSON."""
    decoded = decode(_read(source))
    if decoded.issues:
        first = decoded.issues[0]
        more = len(decoded.issues) - 1
        raise _fail(f"{first}" + (f" (and {more} more)" if more else ""))
    for notice in decoded.notices:
        typer.echo(f"notice: {notice}", err=True)
    assert decoded.transmission is not None  # no issues means a transmission
    typer.echo(json.dumps(to_json_obj(decoded.transmission), indent=2))


def _read_json(source: str) -> Any:
    try:
        return json.loads(_read(source))
    except (ValueError, UnicodeDecodeError) as exc:
        raise _fail(f"not JSON: {exc}") from None


def _write(data: bytes) -> None:
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


@app.command("encode")
def encode_command(source: Source = "-") -> None:
    """Write the bytes of a transmission given as JSON (the form decode prints)."""
    obj = _read_json(source)
    try:
        data = encode(from_json_obj(obj))
    except NcpdpError as exc:
        raise _fail(str(exc)) from None
    _write(data)


@app.command("unbatch")
def unbatch_command(source: Source = "-") -> None:
    """Print an NCPDP Batch 1.2 file as JSON: header, details decoded, bad records."""
    try:
        batch = read_batch(_read(source))
    except NcpdpError as exc:
        raise _fail(str(exc)) from None
    typer.echo(json.dumps(batch_to_json(batch), indent=2))


@app.command("batch")
def batch_command(source: Source = "-") -> None:
    """Write an NCPDP Batch 1.2 file from JSON (the form unbatch prints)."""
    obj = _read_json(source)
    try:
        data = batch_from_json(obj)
    except ValueError as exc:
        raise _fail(str(exc)) from None
    _write(data)
