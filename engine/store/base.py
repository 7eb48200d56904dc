"""The ports the engine talks to; adapters (memory, Redis, SQL) implement them.

The engine never imports a driver: it receives objects that satisfy these
protocols, so the same adjudication runs embedded, on Redis, or in tests.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, runtime_checkable

from engine.accumulators import AccumulatorTxn, ApplyResult, FamilyKey, Snapshot
from engine.adjudication.decision import Decision
from engine.claim import ClaimRequest

__all__ = [
    "AccumulatorStore",
    "BatchLedger",
    "BatchingAccumulators",
    "ClaimLedger",
    "ClaimRecord",
    "Contended",
    "EntryKind",
    "FreshReads",
    "LedgerEntry",
    "PrefetchingLedger",
    "StoreError",
    "StoreUnavailable",
    "read_fresh",
    "record_together",
]


class StoreError(Exception):
    """Root of the errors adapters raise; driver errors are wrapped, never leaked."""


class StoreUnavailable(StoreError):
    """The backing service cannot be reached; the claim must not be acknowledged."""


class Contended(Exception):
    """A transaction of a batch uses a claim key an earlier transmission of it uses.

    The earlier one's ledger records are not written yet, so this one's duplicate
    check could not see them: it is adjudicated alone, after the batch's records
    are committed (``engine.adjudication.batch``).
    """


class AccumulatorStore(Protocol):
    """Where families' accumulators and fill history live.

    ``apply`` is atomic and idempotent: it applies all deltas of a transaction or
    none; a transaction id seen before changes nothing and answers DUPLICATE; with
    ``expected_version`` set, a family changed since that version answers CONFLICT
    with the current snapshot, so the caller recomputes instead of trusting stale
    figures. A transaction that ``reverses`` another negates exactly the recorded
    deltas of that original, and refuses an unknown or already reversed original.
    """

    def snapshot(self, key: FamilyKey) -> Snapshot:
        """The family's amounts in the plan year, its fills, and their version."""
        ...

    def apply(
        self, key: FamilyKey, txn: AccumulatorTxn, expected_version: int | None
    ) -> ApplyResult:
        """Apply one transaction atomically (see the class docstring)."""
        ...

    def recorded(self, key: FamilyKey, txn_id: str) -> Mapping[str, int] | None:
        """The deltas recorded for a transaction, or None if it was never applied."""
        ...


class EntryKind(StrEnum):
    """What a ledger entry records."""

    PAID = "paid"
    REVERSED = "reversed"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"
    ELIGIBILITY = "eligibility"


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One adjudicated transaction as the ledger keeps it: an immutable event.

    A reversal is its own entry that points (by claim key and sequence) at the paid
    entry it reverses; a rebill writes a reversal entry and a new paid entry.
    """

    claim_key: str | None
    sequence: int
    kind: EntryKind
    decision: Decision
    request: ClaimRequest | None = None
    raw_request: bytes | None = None
    raw_response: bytes | None = None


@dataclass(frozen=True, slots=True)
class ClaimRecord:
    """The current state of a claim key: its latest paid entry and whether it was reversed."""

    claim_key: str
    sequence: int
    decision: Decision
    reversed: bool

    @property
    def txn_id(self) -> str | None:
        """The accumulator transaction the paid claim applied."""
        return self.decision.txn.id if self.decision.txn is not None else None


class ClaimLedger(Protocol):
    """The durable record of claims: duplicates, reversals and rebills look here."""

    def current(self, claim_key: str) -> ClaimRecord | None:
        """The latest paid entry of a claim key, with whether it has been reversed."""
        ...

    def record(self, entry: LedgerEntry) -> None:
        """Append an entry; PAID and REVERSED entries change the key's current state."""
        ...


@runtime_checkable
class BatchLedger(Protocol):
    """A ledger that can make several entries durable in one transaction."""

    def record_batch(self, entries: Sequence[LedgerEntry]) -> None:
        """Append all entries or none."""
        ...


@runtime_checkable
class PrefetchingLedger(Protocol):
    """A ledger that answers ``current`` for many claim keys in one read."""

    def currents(self, claim_keys: Sequence[str]) -> dict[str, ClaimRecord | None]:
        """The current record (or None) of every key, as ``current`` would give each."""
        ...


@runtime_checkable
class BatchingAccumulators(Protocol):
    """A store that reads many families in one round trip and applies a batch in another.

    Between ``begin_batch`` and ``end_batch`` (one thread) ``apply`` only queues the
    transaction and answers APPLIED; ``end_batch`` sends the queue and gives every
    item's real results, which the caller must check before it trusts the item's
    decision. Reading or applying to a family with a queued transaction first sends
    the queue, so the read includes it, as one claim after another would see.
    """

    def prefetch(self, keys: Sequence[FamilyKey]) -> None:
        """Read these families now, so that this batch's snapshots are fresh and local."""
        ...

    def begin_batch(self) -> None:
        """Start queueing applies (this thread only)."""
        ...

    def batch_item(self, item: int) -> None:
        """Attribute the applies that follow to ``item``."""
        ...

    def discard_item(self, item: int) -> None:
        """Forget ``item``'s queued applies (it will be adjudicated alone)."""
        ...

    def end_batch(self) -> dict[int, list[ApplyResult]]:
        """Send what is still queued; each item's results, in the order it applied."""
        ...


@runtime_checkable
class FreshReads(Protocol):
    """A store that may serve cached snapshots, and can also read the current one."""

    def fresh_snapshot(self, key: FamilyKey) -> Snapshot:
        """The snapshot as stored now, never from a cache."""
        ...


def record_together(ledger: ClaimLedger, entries: Sequence[LedgerEntry]) -> None:
    """Record entries that belong together (a rebill's reversal and its new paid claim).

    A crash between two separate records would leave the original reversed and the
    new claim missing; a ledger that supports it writes them in one transaction.
    """
    if isinstance(ledger, BatchLedger):
        ledger.record_batch(entries)
        return
    for entry in entries:
        ledger.record(entry)


def read_fresh(store: AccumulatorStore, key: FamilyKey) -> Snapshot:
    """The current snapshot, bypassing a snapshot cache: for answers no apply will check."""
    if isinstance(store, FreshReads):
        return store.fresh_snapshot(key)
    return store.snapshot(key)
