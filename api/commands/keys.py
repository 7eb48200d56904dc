"""``rxadj keys``: API keys for the HTTP service, stored hashed in the keys file."""

from __future__ import annotations

from typing import Annotated

import typer

from api.http.keys import KeyFileError, KeyStore, Role
from api.settings import Settings, SettingsError

__all__ = ["app"]

app = typer.Typer(help="API keys for the HTTP service.", no_args_is_help=True)


@app.command()
def create(
    role: Annotated[Role, typer.Option(help="What the key may call.")],
    name: Annotated[str, typer.Option(help="Who holds the key (shown in the audit log).")],
) -> None:
    """Add a key; it is printed once and only its hash is kept."""
    try:
        settings = Settings.from_env()
        store = KeyStore.load(settings.api_keys_file)
        key = store.create(role, name)
    except (KeyFileError, SettingsError) as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    typer.echo(key)
    typer.echo(f"role {role.value} for {name!r}; stored in {settings.api_keys_file}", err=True)
