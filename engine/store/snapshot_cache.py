"""A per-process cache of family snapshots, safe because every apply is version-checked.

A claim needs the family's snapshot to compute its cost share, then applies with
the version it read. Serving the snapshot from this cache saves the read round
trip; if another process changed the family since, the store answers CONFLICT
with the current snapshot (in the same round trip) and the claim is recomputed,
so a stale entry costs a retry, never a stale patient pay. The cache also keeps
the fills version it saw, so that a fill added in another plan year of the same
family makes the apply conflict too.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass

from engine.accumulators import AccumulatorTxn, FamilyKey, Snapshot

__all__ = ["CachedSnapshot", "SnapshotCache"]


@dataclass(frozen=True, slots=True)
class CachedSnapshot:
    """A snapshot, the fills version it was read at, and the txn id each fill is kept under."""

    snapshot: Snapshot
    fills_version: int
    fill_ids: tuple[str, ...]


class SnapshotCache:
    """At most ``size`` families, least recently used evicted first; thread-safe."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._entries: OrderedDict[FamilyKey, CachedSnapshot] = OrderedDict()

    def get(self, key: FamilyKey) -> CachedSnapshot | None:
        """The cached entry, marked as recently used."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: FamilyKey, entry: CachedSnapshot) -> None:
        """Remember an entry read from (or confirmed by) the store."""
        if self.size <= 0:
            return
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def forget(self, key: FamilyKey) -> None:
        """Drop an entry whose state is no longer known exactly."""
        with self._lock:
            self._entries.pop(key, None)

    def clear(self) -> None:
        """Drop everything (after a rebuild or recovery changed the store underneath)."""
        with self._lock:
            self._entries.clear()

    def advance(
        self,
        key: FamilyKey,
        expected_version: int | None,
        txn: AccumulatorTxn,
        net: Mapping[str, int],
        version: int,
        fills_version: int,
    ) -> None:
        """Follow an applied transaction locally, if the entry was its exact basis."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or expected_version is None:
                self._entries.pop(key, None)
                return
            if entry.snapshot.version != expected_version:
                self._entries.pop(key, None)
                return
            kept = [
                (fill_id, fill)
                for fill_id, fill in zip(entry.fill_ids, entry.snapshot.fills, strict=True)
                if fill_id != txn.reverses
            ]
            if txn.fill is not None:
                kept.append((txn.id, txn.fill))
            amounts = dict(entry.snapshot.amounts)
            for name, cents in net.items():
                amounts[name] = amounts.get(name, 0) + cents
            self._entries[key] = CachedSnapshot(
                Snapshot(version, amounts, tuple(fill for _, fill in kept)),
                fills_version,
                tuple(fill_id for fill_id, _ in kept),
            )
