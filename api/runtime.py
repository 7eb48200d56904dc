"""The composition root: builds the catalog, stores and processor from settings.

Every shell builds through here, so the command line and (later) the HTTP service
run the same engine on the same stores. Nothing connects before ``build_runtime``.

What start-up does, in order:

1. load the catalog (plans, rules, sample members);
2. open the ledger (``RXADJ_DATABASE_URL``, a SQLite file by default) and bring its
   schema up to date with the shipped migrations;
3. if the members table is empty (a fresh database), load the catalog's members
   files into it, once; afterwards eligibility changes come only through
   ``rxadj members load``, and claims read members from the database; the same
   for the catalog's prior-authorization files (``rxadj prior-auths``);
4. accumulators: with ``RXADJ_REDIS_URL`` set, rebuild Redis from the ledger if it
   lost its data, then run crash recovery (``engine.recovery``); without Redis,
   replay the ledger into a fresh in-memory store, so it agrees with the ledger.

``embedded=True`` (the demo, tests) skips all of that: fresh in-memory ledger and
accumulators and the catalog's members and approvals, a repeatable showcase.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from api.settings import Settings
from engine.accumulators import AccumulatorTxn, FamilyKey
from engine.adjudication.processor import ClaimProcessor
from engine.catalog.catalog import Catalog
from engine.catalog.loader import load_catalog
from engine.catalog.publication import PublicationStore
from engine.loading.members import document_families, load_members
from engine.plans.members import MemberDirectory
from engine.priorauth.directory import MemoryPriorAuthDirectory, PriorAuthStore
from engine.rebuild import replay
from engine.recovery import RecoveryReport, recover
from engine.store.base import AccumulatorStore, ClaimLedger, StoreError
from engine.store.memory import MemoryAccumulatorStore, MemoryClaimLedger
from engine.store.redis import RedisAccumulatorStore, from_url
from engine.store.redis_admin import RedisAdmin
from engine.store.sql import SqlLedger, SqlMemberDirectory, SqlPriorAuthStore

__all__ = [
    "Runtime",
    "RuntimeUnavailable",
    "build_runtime",
    "load_settings_catalog",
    "seed_members",
]


class RuntimeUnavailable(RuntimeError):
    """The configured runtime cannot be built: bad settings or an unreachable store."""


@dataclass(slots=True)
class Runtime:
    """What a shell needs: the settings, the catalog, a processor, and the stores under it."""

    settings: Settings
    catalog: Catalog
    processor: ClaimProcessor
    ledger: ClaimLedger
    accumulators: AccumulatorStore
    members: MemberDirectory
    prior_auths: PriorAuthStore
    sql: SqlLedger | None = None
    directory: SqlMemberDirectory | None = None
    redis: RedisAdmin | None = None
    recovery: RecoveryReport | None = None
    notes: list[str] = field(default_factory=list)

    def close(self) -> None:
        """Finish pending ledger writes and release connections."""
        if self.sql is not None:
            self.sql.close()
        if self.directory is not None:
            self.directory.close()
        if self.redis is not None:
            self.redis.client.close()


def load_settings_catalog(settings: Settings) -> Catalog:
    """The shipped plans and rules overlaid with the versions published since."""
    files = PublicationStore(settings.published_dir).catalog_files(settings.catalog_paths)
    return load_catalog(files, settings.edit_backend)


def seed_members(catalog: Catalog, directory: SqlMemberDirectory) -> int:
    """Load the catalog's members files into an empty members table; how many families."""
    if directory.count() > 0:
        return 0
    loaded = 0
    for source in catalog.sources:
        path = Path(source)
        if path.suffix not in (".yaml", ".yml", ".json") or "kind: members" not in path.read_text(
            encoding="utf-8"
        ):
            continue
        loaded += load_members(document_families(path), directory).accepted
    return loaded


def _embedded(settings: Settings, catalog: Catalog) -> Runtime:
    accumulators = MemoryAccumulatorStore()
    ledger = MemoryClaimLedger()
    prior_auths = MemoryPriorAuthDirectory(catalog.prior_authorizations)
    processor = ClaimProcessor(catalog, accumulators, ledger, prior_auths=prior_auths)
    return Runtime(settings, catalog, processor, ledger, accumulators, catalog.members, prior_auths)


def _accumulators(
    settings: Settings, sql: SqlLedger, notes: list[str]
) -> tuple[AccumulatorStore, RedisAdmin | None, RecoveryReport | None]:
    def rows() -> Iterator[tuple[FamilyKey, AccumulatorTxn]]:
        return ((row.key, row.txn) for row in sql.accumulator_rows())

    if settings.redis_url is None:
        store = MemoryAccumulatorStore()
        notes.extend(f"ledger row not replayed: {p}" for p in replay(rows(), store))
        return store, None, None
    client = from_url(settings.redis_url)
    redis_store = RedisAccumulatorStore(
        client, settings.redis_prefix, cache_size=settings.snapshot_cache
    )
    admin = RedisAdmin(redis_store)
    try:
        epoch = dt.datetime.now(dt.UTC).isoformat()
        if admin.ensure_built(rows, epoch, settle=settings.ledger_lease):
            notes.append("redis had lost its accumulators: rebuilt from the ledger")
        sql.writer.on_committed = admin.confirm
        report = recover(admin, sql, settings.recovery_grace)
    except StoreError:
        client.close()
        raise
    return redis_store, admin, report


def build_runtime(
    settings: Settings, *, embedded: bool = False, catalog: Catalog | None = None
) -> Runtime:
    """Load the catalog (raising SourceFileError on any bad file) and wire the stores.

    ``catalog`` replaces loading one from the settings' paths (tests, benchmarks).
    Raises RuntimeUnavailable when a configured store cannot be reached or set up.
    """
    if catalog is None:
        catalog = load_settings_catalog(settings)
    if embedded:
        return _embedded(settings, catalog)
    try:
        sql = SqlLedger.open(
            settings.database_url,
            lease=settings.ledger_lease,
            max_batch=settings.ledger_max_batch,
        )
    except StoreError as exc:
        raise RuntimeUnavailable(str(exc)) from exc
    directory = SqlMemberDirectory(sql.reader, sql.engine, ttl=settings.member_cache_ttl)
    try:
        notes: list[str] = []
        seeded = seed_members(catalog, directory)
        if seeded:
            notes.append(f"members table was empty: loaded {seeded} families")
        prior_auths = SqlPriorAuthStore(sql.reader, sql.engine)
        seeded = prior_auths.seed(catalog.prior_authorizations)
        if seeded:
            notes.append(f"prior authorizations table was empty: loaded {seeded}")
        accumulators, admin, report = _accumulators(settings, sql, notes)
    except StoreError as exc:
        sql.close()
        directory.close()
        raise RuntimeUnavailable(str(exc)) from exc
    processor = ClaimProcessor(catalog, accumulators, sql, directory, prior_auths=prior_auths)
    return Runtime(
        settings,
        catalog,
        processor,
        ledger=sql,
        accumulators=accumulators,
        members=directory,
        prior_auths=prior_auths,
        sql=sql,
        directory=directory,
        redis=admin,
        recovery=report,
        notes=notes,
    )
