"""The Redis accumulator store: the memory store's semantics, shared by many processes.

Every change runs in one Lua script (``lua/accumulators.lua``, loaded once with
SCRIPT LOAD and called by EVALSHA, reloaded after NOSCRIPT) that checks the
transaction id (DUPLICATE with the recorded deltas), the expected version
(CONFLICT with the current snapshot in the same round trip, so a retry needs no
extra read), the reversal rules (UNKNOWN_ORIGINAL, ALREADY_REVERSED), negates the
original's recorded deltas, adds or removes fills and bumps the version. A
snapshot is one MULTI/EXEC round trip. Key layout: ``engine.store.redis_layout``.

Each applied transaction is also written to its slot's journal until the ledger
confirms it (``engine.recovery``); a slot without its epoch key (Redis restarted
empty) refuses every call with StoreUnavailable until it is rebuilt.

With ``cache_size`` > 0 the store serves snapshots from a per-process cache
(``engine.store.snapshot_cache``): one round trip per claim when the family was
seen before, and a stale entry only ever costs a CONFLICT and a recompute.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import redis
from redis.cluster import RedisCluster
from redis.exceptions import NoScriptError, RedisError, ResponseError

from engine.accumulators import AccumulatorTxn, ApplyResult, ApplyStatus, FamilyKey, Snapshot
from engine.store.base import StoreError, StoreUnavailable
from engine.store.redis_layout import (
    Layout,
    decode_deltas,
    decode_fill,
    decode_record,
    encode_deltas,
    encode_fill,
)
from engine.store.snapshot_cache import CachedSnapshot, SnapshotCache

__all__ = ["RedisAccumulatorStore", "RedisStats", "SlotUnbuilt", "from_url"]

_SCRIPT = resources.files("engine.store").joinpath("lua/accumulators.lua").read_text("utf-8")


class SlotUnbuilt(StoreUnavailable):
    """The family's slot has no epoch: Redis lost its data; rebuild from the ledger first."""


@dataclass(slots=True)
class RedisStats:
    """Counters for benchmarks: network round trips and what the cache saved.

    ``round_trips`` are the per-claim calls (snapshot reads, scripts); ``admin_round_trips``
    the batched ones off the claim's path (journal confirmations, recovery, rebuild).
    """

    round_trips: int = 0
    admin_round_trips: int = 0
    cache_hits: int = 0
    conflicts: int = 0


def from_url(url: str, **options: Any) -> redis.Redis:
    """A client for the store: decoded responses, bounded timeouts (no connection yet)."""
    options.setdefault("socket_timeout", 5.0)
    options.setdefault("socket_connect_timeout", 5.0)
    return redis.Redis.from_url(url, decode_responses=True, **options)


def _wrap(exc: RedisError) -> StoreError:
    if isinstance(exc, ResponseError):
        return StoreError(f"redis refused the accumulator script: {exc}")
    return StoreUnavailable(f"redis is unavailable: {exc}")


def _pairs(flat: Sequence[str]) -> dict[str, str]:
    return dict(zip(flat[::2], flat[1::2], strict=True))


def _cached_snapshot(amounts: Mapping[str, str], fills: Mapping[str, str]) -> CachedSnapshot:
    """Build a snapshot (and its fills version) from the two hashes as Redis returns them."""
    version = int(amounts.get("v", 0))
    values = {name: int(cents) for name, cents in amounts.items() if name != "v"}
    ordered = sorted(
        ((*decode_fill(text, txn_id), txn_id) for txn_id, text in fills.items() if txn_id != "#"),
        key=lambda item: item[0],
    )
    return CachedSnapshot(
        Snapshot(version, values, tuple(fill for _, fill, _ in ordered)),
        int(fills.get("#", 0)),
        tuple(txn_id for _, _, txn_id in ordered),
    )


class RedisAccumulatorStore:
    """Families' accumulators and fills in Redis under ``prefix`` (see the module docstring)."""

    def __init__(self, client: redis.Redis, prefix: str = "rxadj", *, cache_size: int = 0) -> None:
        self.client = client
        self.layout = Layout(prefix, cluster=isinstance(client, RedisCluster))
        self.cache = SnapshotCache(cache_size)
        self.stats = RedisStats()
        self._sha: str | None = None
        self._served = threading.local()

    def load_script(self) -> str:
        """SCRIPT LOAD the accumulator script (idempotent) and remember its SHA1."""
        try:
            self._sha = str(self.client.script_load(_SCRIPT))
        except RedisError as exc:
            raise _wrap(exc) from exc
        self.stats.round_trips += 1
        return self._sha

    def run_script(self, keys: Sequence[str], args: Sequence[str]) -> list[Any]:
        """EVALSHA the accumulator script, loading it first or again after NOSCRIPT."""
        sha = self._sha or self.load_script()
        for attempt in (1, 2):
            try:
                self.stats.round_trips += 1
                reply = self.client.evalsha(sha, len(keys), *keys, *args)
            except NoScriptError:
                if attempt == 2:
                    raise StoreError("redis keeps losing the accumulator script") from None
                sha = self.load_script()
                continue
            except RedisError as exc:
                raise _wrap(exc) from exc
            if reply[0] == "unbuilt":
                raise SlotUnbuilt(
                    "accumulators in redis are not built (redis restarted empty?): "
                    "run `rxadj accumulators rebuild`"
                )
            return list(reply)
        raise AssertionError("unreachable")

    def _read(self, key: FamilyKey) -> CachedSnapshot:
        amounts_key, _, fills_key, _, epoch_key = self.layout.family_keys(key)
        try:
            with self.client.pipeline(transaction=True) as pipe:
                pipe.exists(epoch_key)
                pipe.hgetall(amounts_key)
                pipe.hgetall(fills_key)
                built, amounts, fills = pipe.execute()
        except RedisError as exc:
            raise _wrap(exc) from exc
        self.stats.round_trips += 1
        if not built:
            raise SlotUnbuilt(
                "accumulators in redis are not built: run `rxadj accumulators rebuild`"
            )
        entry = _cached_snapshot(amounts, fills)
        self.cache.put(key, entry)
        return entry

    def _serve(self, key: FamilyKey, entry: CachedSnapshot) -> Snapshot:
        """Hand out a snapshot, remembering (per thread) its fills version for the apply."""
        if self.cache.size > 0:
            self._served.last = (key, entry)
        return entry.snapshot

    def snapshot(self, key: FamilyKey) -> Snapshot:
        """The family's amounts in the plan year, its fills and version (cached if enabled)."""
        batch: _Batch | None = getattr(self._served, "batch", None)
        if batch is not None and batch.changes(key):
            self._send(batch)
        entry = self.cache.get(key)
        if entry is not None:
            self.stats.cache_hits += 1
            return self._serve(key, entry)
        return self._serve(key, self._read(key))

    def fresh_snapshot(self, key: FamilyKey) -> Snapshot:
        """The snapshot as Redis holds it now, bypassing (and refreshing) the cache.

        In a batch, a family read ahead for it is fresh: the cache follows every apply
        of the batch to it, and a queued one is sent first.
        """
        batch: _Batch | None = getattr(self._served, "batch", None)
        if batch is not None:
            if batch.changes(key):
                self._send(batch)
            entry = self.cache.get(key) if key in batch.fresh else None
            if entry is not None:
                return self._serve(key, entry)
        return self._serve(key, self._read(key))

    def recorded(self, key: FamilyKey, txn_id: str) -> Mapping[str, int] | None:
        """The deltas recorded for a transaction, or None if it was never applied."""
        try:
            text = self.client.hget(self.layout.family_keys(key)[1], txn_id)
        except RedisError as exc:
            raise _wrap(exc) from exc
        self.stats.round_trips += 1
        return None if text is None else decode_record(text).deltas

    def apply(
        self, key: FamilyKey, txn: AccumulatorTxn, expected_version: int | None
    ) -> ApplyResult:
        """Apply one transaction atomically: idempotent, version-checked, exact reversals.

        Inside a batch (``begin_batch``) the transaction is only queued (module docstring).
        """
        batch: _Batch | None = getattr(self._served, "batch", None)
        if batch is not None and batch.changes(key):
            self._send(batch)
        fills_version = ""
        served: tuple[FamilyKey, CachedSnapshot] | None = getattr(self._served, "last", None)
        self._served.last = None
        if (
            served is not None
            and served[0] == key
            and served[1].snapshot.version == expected_version
        ):
            fills_version = str(served[1].fills_version)
        args = self._apply_args(key, txn, expected_version, fills_version)
        if batch is not None:
            batch.queue(_Queued(key, txn, expected_version, args))
            return ApplyResult(ApplyStatus.APPLIED, -1, dict(txn.deltas))
        reply = self.run_script(self.layout.family_keys(key), args)
        return self._applied(key, txn, expected_version, reply)

    def _applied(
        self, key: FamilyKey, txn: AccumulatorTxn, expected_version: int | None, reply: list[Any]
    ) -> ApplyResult:
        """The script's reply to an apply as a result; the snapshot cache follows it."""
        status = ApplyStatus(reply[0])
        version = int(reply[1])
        if status is ApplyStatus.APPLIED:
            net = decode_deltas(reply[2])
            self.cache.advance(key, expected_version, txn, net, version, int(reply[3]))
            return ApplyResult(status, version, net)
        if status is ApplyStatus.CONFLICT:
            self.stats.conflicts += 1
            entry = _cached_snapshot(_pairs(reply[2]), _pairs(reply[3]))
            self.cache.put(key, entry)
            return ApplyResult(status, version, snapshot=self._serve(key, entry))
        self.cache.forget(key)
        if status is ApplyStatus.DUPLICATE:
            return ApplyResult(status, version, decode_deltas(reply[2]))
        return ApplyResult(status, version)

    def prefetch(self, keys: Sequence[FamilyKey]) -> None:
        """Read every family in one MULTI/EXEC and cache it (needs ``cache_size`` > 0).

        A family whose slot is unbuilt is left out: its own snapshot call reports it.
        Failures are left to the calls that follow, which report them per claim.
        """
        wanted = list(dict.fromkeys(keys))
        if not wanted or self.cache.size <= 0:
            return
        try:
            with self.client.pipeline(transaction=True) as pipe:
                for key in wanted:
                    amounts_key, _, fills_key, _, epoch_key = self.layout.family_keys(key)
                    pipe.exists(epoch_key)
                    pipe.hgetall(amounts_key)
                    pipe.hgetall(fills_key)
                replies = pipe.execute()
        except RedisError:
            return
        self.stats.round_trips += 1
        batch: _Batch | None = getattr(self._served, "batch", None)
        for index, key in enumerate(wanted):
            built, amounts, fills = replies[3 * index : 3 * index + 3]
            if built:
                self.cache.put(key, _cached_snapshot(amounts, fills))
                if batch is not None:
                    batch.fresh.add(key)

    def begin_batch(self) -> None:
        """Queue this thread's applies until ``end_batch`` (``BatchingAccumulators``)."""
        self._served.batch = _Batch()

    def batch_item(self, item: int) -> None:
        """Attribute the applies that follow to ``item``."""
        self._served.batch.item = item

    def discard_item(self, item: int) -> None:
        """Forget ``item``'s queued applies."""
        batch: _Batch = self._served.batch
        batch.drop(item)

    def end_batch(self) -> dict[int, list[ApplyResult]]:
        """Send what is still queued; every item's results, in the order it applied."""
        batch: _Batch = self._served.batch
        self._served.batch = None
        self._send(batch)
        return batch.results

    def _send(self, batch: _Batch) -> None:
        """EVALSHA every queued apply in one pipeline and keep the results by item.

        Also called in the middle of a batch, before a family with a queued apply is
        read again: the cache then follows the applied transactions
        (``SnapshotCache.advance``), so the read sees them as a claim alone would. A
        reply that is not a result (the script was flushed: NOSCRIPT) is run again
        alone through ``run_script``, which reloads it.
        """
        queued = batch.take()
        if not queued:
            return
        sha = self._sha or self.load_script()
        try:
            with self.client.pipeline(transaction=False) as pipe:
                for _, q in queued:
                    keys = self.layout.family_keys(q.key)
                    pipe.evalsha(sha, len(keys), *keys, *q.args)
                replies = pipe.execute(raise_on_error=False)
        except RedisError as exc:
            raise _wrap(exc) from exc
        self.stats.round_trips += 1
        for (item, q), raw in zip(queued, replies, strict=True):
            if isinstance(raw, NoScriptError):
                reply = self.run_script(self.layout.family_keys(q.key), q.args)
            elif isinstance(raw, Exception):
                raise _wrap(raw) if isinstance(raw, RedisError) else raw
            elif raw[0] == "unbuilt":
                raise SlotUnbuilt(
                    "accumulators in redis are not built (redis restarted empty?): "
                    "run `rxadj accumulators rebuild`"
                )
            else:
                reply = raw
            result = self._applied(q.key, q.txn, q.expected_version, list(reply))
            batch.results.setdefault(item, []).append(result)

    def _apply_args(
        self,
        key: FamilyKey,
        txn: AccumulatorTxn,
        expected_version: int | None,
        fills_version: str,
    ) -> tuple[str, ...]:
        """The script's arguments for an apply, journaled until the ledger confirms it."""
        return (
            "apply",
            txn.id,
            "" if expected_version is None else str(expected_version),
            fills_version,
            encode_deltas(txn.deltas),
            txn.reverses or "",
            "" if txn.fill is None else encode_fill(txn.fill, txn.id),
            self.layout.journal_member(key, txn.id),
        )


@dataclass(frozen=True, slots=True)
class _Queued:
    """An apply held back until the end of its batch."""

    key: FamilyKey
    txn: AccumulatorTxn
    expected_version: int | None
    args: tuple[str, ...]


@dataclass(slots=True)
class _Batch:
    """One thread's batch: applies queued by item, results of those sent, fresh families."""

    item: int = -1
    queued: dict[int, list[_Queued]] = field(default_factory=dict)
    results: dict[int, list[ApplyResult]] = field(default_factory=dict)
    fresh: set[FamilyKey] = field(default_factory=set)
    families: dict[FamilyKey, int] = field(default_factory=dict)
    """How many queued applies change each family."""

    def changes(self, key: FamilyKey) -> bool:
        """Whether a queued apply changes this family (reading it must send the queue)."""
        return key in self.families

    def queue(self, queued: _Queued) -> None:
        """Hold an apply for the current item."""
        self.queued.setdefault(self.item, []).append(queued)
        self.families[queued.key] = self.families.get(queued.key, 0) + 1

    def drop(self, item: int) -> None:
        """Forget an item's queued applies."""
        for queued in self.queued.pop(item, ()):
            left = self.families[queued.key] - 1
            if left:
                self.families[queued.key] = left
            else:
                del self.families[queued.key]

    def take(self) -> list[tuple[int, _Queued]]:
        """Every queued apply with its item, in queue order; the queue is empty after."""
        taken = [(item, q) for item, items in self.queued.items() for q in items]
        self.queued.clear()
        self.families.clear()
        return taken
