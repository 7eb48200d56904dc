"""API keys with roles, stored hashed in a keys file.

A key is ``rxadj_<id>_<secret>``: the id finds the entry without scanning, the
secret is 32 random bytes and is never stored — only a salted SHA-256 of it, compared
in constant time. With secrets that long a slow hash buys nothing and would cost a
few milliseconds on every request. The file is JSON so operators can read and diff
it; a key is shown once, when it is created.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
import tempfile
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path

__all__ = ["ApiKey", "KeyFileError", "KeyStore", "Role"]


class Role(StrEnum):
    """Who a key belongs to; every endpoint names the roles it admits."""

    SWITCH = "switch"
    ANALYST = "analyst"
    FINANCE = "finance"
    MEMBER_SERVICES = "member-services"
    ADMIN = "admin"


class KeyFileError(ValueError):
    """The keys file cannot be read or written, or holds a malformed entry."""


@dataclass(frozen=True, slots=True)
class ApiKey:
    """One key as stored: no secret, only its salted hash."""

    id: str
    name: str
    role: Role
    salt: str
    digest: str
    created: str


def _digest(salt: str, secret: str) -> str:
    return hashlib.sha256(bytes.fromhex(salt) + secret.encode()).hexdigest()


class KeyStore:
    """The keys of one keys file, looked up by id."""

    def __init__(self, path: Path | None, keys: dict[str, ApiKey] | None = None) -> None:
        self.path = path
        self._keys = dict(keys or {})

    @classmethod
    def load(cls, path: Path) -> KeyStore:
        """Read a keys file; a missing file is an empty store (no key admits anything)."""
        if not path.exists():
            return cls(path)
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))
            keys = {
                entry["id"]: ApiKey(
                    id=entry["id"],
                    name=entry["name"],
                    role=Role(entry["role"]),
                    salt=entry["salt"],
                    digest=entry["digest"],
                    created=entry["created"],
                )
                for entry in entries
            }
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise KeyFileError(f"{path}: not a valid keys file ({exc})") from exc
        return cls(path, keys)

    def create(self, role: Role, name: str) -> str:
        """Add a key and save the file; return the key text, which is not kept anywhere."""
        if not name.strip():
            raise KeyFileError("a key needs a name saying who holds it")
        key_id = secrets.token_hex(4)
        while key_id in self._keys:
            key_id = secrets.token_hex(4)
        secret = secrets.token_urlsafe(32)
        salt = secrets.token_hex(16)
        self._keys[key_id] = ApiKey(
            id=key_id,
            name=name.strip(),
            role=role,
            salt=salt,
            digest=_digest(salt, secret),
            created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        )
        self._save()
        return f"rxadj_{key_id}_{secret}"

    def authenticate(self, presented: str | None) -> ApiKey | None:
        """The key a request presented, if it is genuine."""
        if not presented or not presented.startswith("rxadj_"):
            return None
        _, _, rest = presented.partition("_")
        key_id, _, secret = rest.partition("_")
        stored = self._keys.get(key_id)
        if stored is None or not secret:
            return None
        if hmac.compare_digest(stored.digest, _digest(stored.salt, secret)):
            return stored
        return None

    def __len__(self) -> int:
        return len(self._keys)

    def _save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        entries = [asdict(key) | {"role": key.role.value} for key in self._keys.values()]
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".keys-")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(entries, out, indent=2)
        os.chmod(temporary, 0o600)
        os.replace(temporary, self.path)
