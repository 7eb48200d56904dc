"""In-memory stores: the embedded default for one process (demo, tests, CLI).

They implement the same protocols as the Redis and SQL adapters, with the same
atomicity (a lock around each operation), idempotency and version checks, so code
proven on them behaves the same on the real stores.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from engine.accumulators import (
    AccumulatorTxn,
    ApplyResult,
    ApplyStatus,
    FamilyKey,
    Fill,
    Snapshot,
    negate,
)
from engine.store.base import ClaimRecord, EntryKind, LedgerEntry

__all__ = ["MemoryAccumulatorStore", "MemoryClaimLedger"]


@dataclass(slots=True)
class _Family:
    version: int = 0
    amounts: dict[str, int] = field(default_factory=dict)
    txns: dict[str, dict[str, int]] = field(default_factory=dict)
    reversed: set[str] = field(default_factory=set)


class MemoryAccumulatorStore:
    """Accumulators and fills in dictionaries, guarded by one lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._families: dict[FamilyKey, _Family] = {}
        self._fills: dict[str, dict[str, Fill]] = {}

    def _snapshot(self, key: FamilyKey) -> Snapshot:
        family = self._families.get(key)
        fills = tuple(self._fills.get(key.cardholder_id, {}).values())
        if family is None:
            return Snapshot(version=0, amounts={}, fills=fills)
        return Snapshot(version=family.version, amounts=dict(family.amounts), fills=fills)

    def snapshot(self, key: FamilyKey) -> Snapshot:
        """The family's amounts in the plan year, its fills, and their version."""
        with self._lock:
            return self._snapshot(key)

    def recorded(self, key: FamilyKey, txn_id: str) -> Mapping[str, int] | None:
        """The deltas recorded for a transaction, or None if it was never applied."""
        with self._lock:
            family = self._families.get(key)
            if family is None or txn_id not in family.txns:
                return None
            return dict(family.txns[txn_id])

    def apply(
        self, key: FamilyKey, txn: AccumulatorTxn, expected_version: int | None
    ) -> ApplyResult:
        """Apply one transaction atomically: idempotent, version-checked, exact reversals."""
        with self._lock:
            family = self._families.setdefault(key, _Family())
            if txn.id in family.txns:
                return ApplyResult(ApplyStatus.DUPLICATE, family.version, family.txns[txn.id])
            if expected_version is not None and expected_version != family.version:
                return ApplyResult(
                    ApplyStatus.CONFLICT, family.version, snapshot=self._snapshot(key)
                )
            net = dict(txn.deltas)
            if txn.reverses is not None:
                if txn.reverses not in family.txns:
                    return ApplyResult(ApplyStatus.UNKNOWN_ORIGINAL, family.version)
                if txn.reverses in family.reversed:
                    return ApplyResult(ApplyStatus.ALREADY_REVERSED, family.version)
                for name, cents in negate(family.txns[txn.reverses]).items():
                    net[name] = net.get(name, 0) + cents
                family.reversed.add(txn.reverses)
                self._fills.get(key.cardholder_id, {}).pop(txn.reverses, None)
            for name, cents in net.items():
                family.amounts[name] = family.amounts.get(name, 0) + cents
            family.txns[txn.id] = dict(txn.deltas)
            if txn.fill is not None:
                self._fills.setdefault(key.cardholder_id, {})[txn.id] = txn.fill
            family.version += 1
            return ApplyResult(ApplyStatus.APPLIED, family.version, net)


class MemoryClaimLedger:
    """Ledger entries in a list, with each claim key's current state beside them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[LedgerEntry] = []
        self._current: dict[str, ClaimRecord] = {}

    def current(self, claim_key: str) -> ClaimRecord | None:
        """The latest paid entry of a claim key, with whether it has been reversed."""
        with self._lock:
            return self._current.get(claim_key)

    def record(self, entry: LedgerEntry) -> None:
        """Append an entry; PAID and REVERSED entries change the key's current state."""
        with self._lock:
            self._entries.append(entry)
            if entry.claim_key is None:
                return
            if entry.kind is EntryKind.PAID:
                self._current[entry.claim_key] = ClaimRecord(
                    entry.claim_key, entry.sequence, entry.decision, reversed=False
                )
            elif entry.kind is EntryKind.REVERSED:
                current = self._current.get(entry.claim_key)
                if current is not None and current.sequence == entry.sequence:
                    self._current[entry.claim_key] = replace(current, reversed=True)

    def entries(self) -> list[LedgerEntry]:
        """Every entry, oldest first (for replays and reports)."""
        with self._lock:
            return list(self._entries)
