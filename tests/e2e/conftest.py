"""The real Litestar app over a real runtime (SQLite ledger in the test's directory)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from litestar.testing import TestClient

from api.http.app import create_app
from api.http.keys import KeyStore, Role
from api.runtime import Runtime, build_runtime
from api.settings import Settings


@dataclass
class Service:
    """A running app, its runtime, and one API key per role."""

    client: TestClient
    runtime: Runtime
    keys: dict[Role, str]

    def headers(self, role: Role) -> dict[str, str]:
        """The header carrying the key of ``role``."""
        return {"X-API-Key": self.keys[role]}


@pytest.fixture
def service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Service]:
    """The HTTP service on the shipped plans, a fresh ledger and published directory."""
    monkeypatch.setenv("RXADJ_PUBLISHED_DIR", str(tmp_path / "published"))
    monkeypatch.setenv("RXADJ_API_KEYS_FILE", str(tmp_path / "keys.json"))
    settings = Settings.from_env()
    store = KeyStore.load(settings.api_keys_file)
    keys = {role: store.create(role, f"test {role.value}") for role in Role}
    runtime = build_runtime(settings)
    with TestClient(create_app(runtime, KeyStore.load(settings.api_keys_file))) as client:
        yield Service(client, runtime, keys)
