"""Settings for every shell (command line now, HTTP service later), read from the environment.

Nothing connects at import: settings are plain values, and ``api.runtime`` builds
stores and processors from them in one place.

============================ ====================================== ========================
variable                     meaning                                default
============================ ====================================== ========================
RXADJ_PLANS_DIR              plan, formulary, network, members files ``plans/``
RXADJ_RULES_DIR              edit sets                              ``rules/``
RXADJ_DATABASE_URL           the ledger (SQLAlchemy URL; SQLite or  ``sqlite:///var/rxadj.sqlite3``
                             ``postgresql://`` through psycopg 3)   under the checkout
RXADJ_REDIS_URL              accumulators in Redis when set         unset: in memory, rebuilt
                                                                    from the ledger at start
RXADJ_REDIS_PREFIX           key prefix in Redis                    ``rxadj``
RXADJ_SNAPSHOT_CACHE         families in the per-process snapshot   ``100000`` (0 disables)
                             cache
RXADJ_LEDGER_LEASE           seconds a ledger write may wait before ``10``
                             it is refused (never committed late);
                             a rebuild of Redis waits this long
RXADJ_LEDGER_MAX_BATCH       most records one group commit takes    ``500``
RXADJ_RECOVERY_GRACE         seconds before recovery may undo an    ``30`` (over 2 x lease)
                             unconfirmed Redis transaction
RXADJ_BATCH_WAIT             longest (seconds) the HTTP service     ``0.005``
                             gathers arriving claims into one batch
RXADJ_MEMBER_CACHE_TTL       longest (seconds) a cached family is   ``60``
                             reused; changes loaded anywhere are
                             seen within about a second (the audit
                             log is checked once a second), 0 turns
                             the cache off
RXADJ_EDIT_BACKEND           what evaluates the edit rules:         ``compiled``
                             ``compiled`` or the experimental
                             ``durable`` (needs ``rxadj[durable]``)
RXADJ_PUBLISHED_DIR          plan and rule versions published at    ``var/published``
                             run time (overlaid on the shipped ones)
RXADJ_API_KEYS_FILE          hashed API keys of the HTTP service    ``var/api-keys.json``
RXADJ_SETTINGS_FILE          a file of ``NAME=value`` lines with    unset
                             any of these; the environment wins
============================ ====================================== ========================
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from engine.edits.backends import EDIT_BACKENDS, EditBackend

__all__ = ["DEFAULT_DATABASE_URL", "REPO_ROOT", "Settings", "SettingsError"]

REPO_ROOT = Path(__file__).resolve().parents[1]
"""The checkout rxadj runs from; the shipped plans/ and rules/ live beside the packages."""

DEFAULT_DATABASE_URL = f"sqlite:///{REPO_ROOT / 'var' / 'rxadj.sqlite3'}"
"""The embedded ledger: a SQLite file in the git-ignored ``var/`` directory."""


class SettingsError(ValueError):
    """An environment variable has a value rxadj cannot use."""


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    text = env.get(name)
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        raise SettingsError(f"{name}={text!r} is not a number") from None
    if value < 0:
        raise SettingsError(f"{name}={text!r} must not be negative")
    return value


def _with_file(env: Mapping[str, str]) -> Mapping[str, str]:
    """The environment over the settings file it names, if any."""
    path = env.get("RXADJ_SETTINGS_FILE")
    if not path:
        return env
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise SettingsError(f"RXADJ_SETTINGS_FILE={path!r}: {exc.strerror}") from None
    values: dict[str, str] = {}
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        name, sep, value = text.partition("=")
        if not sep or not name.strip().startswith("RXADJ_"):
            raise SettingsError(f"{path}:{number}: expected RXADJ_NAME=value")
        values[name.strip()] = value.strip()
    return {**values, **env}


@dataclass(frozen=True, slots=True)
class Settings:
    """Where plans and rules live, which stores to use, and their safety margins."""

    plans_dir: Path
    rules_dir: Path
    redis_url: str | None = None
    database_url: str = DEFAULT_DATABASE_URL
    redis_prefix: str = "rxadj"
    snapshot_cache: int = 100_000
    ledger_lease: float = 10.0
    ledger_max_batch: int = 500
    recovery_grace: float = 30.0
    member_cache_ttl: float = 60.0
    batch_wait: float = 0.005
    edit_backend: EditBackend = "compiled"
    published_dir: Path = REPO_ROOT / "var" / "published"
    api_keys_file: Path = REPO_ROOT / "var" / "api-keys.json"

    def __post_init__(self) -> None:
        if self.edit_backend not in EDIT_BACKENDS:
            raise SettingsError(
                f"RXADJ_EDIT_BACKEND={self.edit_backend!r}: "
                f"expected one of {', '.join(EDIT_BACKENDS)}"
            )
        if self.recovery_grace <= 2 * self.ledger_lease:
            raise SettingsError(
                f"RXADJ_RECOVERY_GRACE ({self.recovery_grace:g}s) must exceed twice "
                f"RXADJ_LEDGER_LEASE ({self.ledger_lease:g}s): recovery must never undo "
                "a transaction whose ledger write may still commit"
            )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read ``RXADJ_*`` variables (see the module docstring); unset means the defaults."""
        env = _with_file(os.environ if environ is None else environ)
        return cls(
            plans_dir=Path(env.get("RXADJ_PLANS_DIR", REPO_ROOT / "plans")),
            rules_dir=Path(env.get("RXADJ_RULES_DIR", REPO_ROOT / "rules")),
            redis_url=env.get("RXADJ_REDIS_URL") or None,
            database_url=env.get("RXADJ_DATABASE_URL") or DEFAULT_DATABASE_URL,
            redis_prefix=env.get("RXADJ_REDIS_PREFIX") or "rxadj",
            snapshot_cache=int(_number(env, "RXADJ_SNAPSHOT_CACHE", 100_000)),
            ledger_lease=_number(env, "RXADJ_LEDGER_LEASE", 10.0),
            ledger_max_batch=max(1, int(_number(env, "RXADJ_LEDGER_MAX_BATCH", 500))),
            recovery_grace=_number(env, "RXADJ_RECOVERY_GRACE", 30.0),
            member_cache_ttl=_number(env, "RXADJ_MEMBER_CACHE_TTL", 60.0),
            batch_wait=_number(env, "RXADJ_BATCH_WAIT", 0.005),
            edit_backend=env.get("RXADJ_EDIT_BACKEND") or "compiled",  # type: ignore[arg-type]
            published_dir=Path(env.get("RXADJ_PUBLISHED_DIR") or REPO_ROOT / "var" / "published"),
            api_keys_file=Path(
                env.get("RXADJ_API_KEYS_FILE") or REPO_ROOT / "var" / "api-keys.json"
            ),
        )

    @property
    def catalog_paths(self) -> list[Path]:
        """The directories the catalog loads from."""
        return [self.plans_dir, self.rules_dir]
