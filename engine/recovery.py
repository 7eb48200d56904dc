"""Crash consistency between the Redis accumulators and the SQL ledger.

The order of a claim is: apply to Redis (idempotent by transaction id, and
journaled in the family's slot), then write the ledger (durable, group-committed),
then acknowledge; after the commit the journal entry is removed ("confirmed").

What a crash leaves behind, and what happens to it:

- Died before the Redis apply, or after the ledger commit: nothing to repair. An
  acknowledged claim is in both stores; a committed but unacknowledged claim is in
  both too, and the switch's retry gets "duplicate of paid" with its figures.
- Died between the apply and the commit: Redis holds a transaction the ledger does
  not know and that was never acknowledged (an orphan), still in the journal.
  If the switch retries first, the apply answers DUPLICATE, renews the journal
  entry's lease, and the processor records the claim (it adopts the orphan).
  Otherwise ``recover`` finds journal entries older than the grace period whose
  transaction the ledger does not hold, and, atomically in the Lua script (which
  re-checks that the entry is still older than the cutoff, so a concurrent retry
  always wins):

  * a bill (no reversal) is undone completely: its deltas subtracted, its record
    and fill deleted, the version bumped. Subtracting can never push a family
    past a maximum, and the retried claim is then processed afresh;
  * a reversal or rebill is undone completely only if the family has not changed
    since (its version is still the one it produced), which restores exactly the
    state before it. Otherwise later claims were priced with the original
    reversed, and putting the original back could push the family past its
    maximum: the reversal is kept and recorded in the ledger (the pharmacy did ask
    for it; its retry is answered "already reversed"), and a rebill's new claim is
    undone while its reversal is kept the same way;
  * a medical transaction is a fact from the carrier whatever our process did: it
    is adopted (written to the ledger), as are transactions some ledgered
    transaction has already reversed.

- A ledger write that waited longer than the writer's lease is refused, never
  committed late, and recovery's grace period is longer than that lease, so
  recovery never undoes a transaction whose commit is still coming.
- Redis restarted empty: every slot lost its epoch key and the script refuses all
  work (StoreUnavailable, claims not acknowledged) until the store is rebuilt
  from the ledger (``engine.rebuild``), which start-up does automatically.

The net invariant: Redis equals the ledger replayed, plus at most the transactions
still inside their grace period.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from engine.accumulators import AccumulatorTxn, FamilyKey, Fill, negate
from engine.adjudication.decision import Decision, Status
from engine.store.base import ClaimRecord, EntryKind, LedgerEntry

if TYPE_CHECKING:
    from engine.store.redis_layout import JournalEntry, TxnRecord

__all__ = ["JournaledStore", "RecoveryLedger", "RecoveryReport", "recover"]

_log = logging.getLogger(__name__)


class JournaledStore(Protocol):
    """What recovery needs from the accumulator store (``engine.store.redis_admin``)."""

    def time_ms(self) -> int:
        """The store's clock, the one journal entries are stamped with."""
        ...

    def journal(self, cutoff_ms: int | None = None) -> list[JournalEntry]:
        """Unconfirmed transactions applied by ``cutoff_ms``, oldest first."""
        ...

    def confirm(self, committed: Sequence[tuple[FamilyKey, str]]) -> None:
        """Remove ledgered transactions from the journal."""
        ...

    def record(self, key: FamilyKey, txn_id: str) -> TxnRecord | None:
        """What the store remembers of a transaction."""
        ...

    def fills(self, cardholder_id: str) -> dict[str, Fill]:
        """The family's fills by transaction id."""
        ...

    def undo(self, entry: JournalEntry, cutoff_ms: int, *, split: bool) -> str:
        """Undo an unconfirmed transaction atomically, if still older than the cutoff."""
        ...


class RecoveryLedger(Protocol):
    """What recovery needs from the ledger."""

    def known_txns(self, txn_ids: Iterable[str]) -> set[str]:
        """Which of these accumulator transaction ids the ledger holds."""
        ...

    def current(self, claim_key: str) -> ClaimRecord | None:
        """The latest paid entry of a claim key."""
        ...

    def record(self, entry: LedgerEntry) -> None:
        """Append an entry durably."""
        ...

    def record_accumulator(self, key: FamilyKey, txn: AccumulatorTxn, source: str) -> None:
        """Write an accumulation row with no claim entry."""
        ...

    def audit(self, action: str, subject: str | None, detail: Mapping[str, Any]) -> None:
        """Append to the audit log."""
        ...


@dataclass(slots=True)
class RecoveryReport:
    """What one recovery pass did, by outcome (transaction ids)."""

    confirmed: list[str] = field(default_factory=list)
    undone: list[str] = field(default_factory=list)
    kept_reversals: list[str] = field(default_factory=list)
    adopted: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def repaired(self) -> int:
        """How many transactions were changed in Redis or written to the ledger."""
        return len(self.undone) + len(self.kept_reversals) + len(self.adopted)


def _claim_key(txn_id: str) -> str:
    return txn_id.rsplit("#", 1)[0]


class _Recovery:
    def __init__(self, admin: JournaledStore, ledger: RecoveryLedger, cutoff_ms: int) -> None:
        self.admin = admin
        self.ledger = ledger
        self.cutoff_ms = cutoff_ms
        self.report = RecoveryReport()

    def confirm(self, entry: JournalEntry) -> None:
        self.admin.confirm([(entry.key, entry.txn_id)])

    def adopt(self, key: FamilyKey, txn_id: str) -> None:
        """Write a transaction as Redis recorded it (and its unledgered originals) to the ledger."""
        record = self.admin.record(key, txn_id)
        if record is None or self.ledger.known_txns([txn_id]):
            return
        if record.reverses is not None:
            self.adopt(key, record.reverses)
        fills = self.admin.fills(key.cardholder_id)
        txn = AccumulatorTxn(txn_id, record.deltas, fills.get(txn_id), reverses=record.reverses)
        self.ledger.record_accumulator(key, txn, "recovery")
        self.report.adopted.append(txn_id)

    def keep_reversal(self, key: FamilyKey, reversal_id: str, original_id: str) -> None:
        """Record in the ledger a claim reversal Redis applied but the ledger never got."""
        current = self.ledger.current(_claim_key(original_id))
        if current is None or current.txn_id != original_id or current.reversed:
            self.adopt(key, reversal_id)
            return
        original = current.decision
        txn = original.txn
        decision = Decision(
            "B2",
            Status.APPROVED,
            claim_key=current.claim_key,
            family=original.family,
            txn=AccumulatorTxn(
                reversal_id, negate(txn.deltas) if txn else {}, reverses=original_id
            ),
            versions=original.versions,
            group_id=original.group_id,
            plan_id=original.plan_id,
            authorization_number=original.authorization_number,
            messages=("claim reversed: recovered after a crash before the ledger write",),
        )
        self.ledger.record(
            LedgerEntry(current.claim_key, current.sequence, EntryKind.REVERSED, decision)
        )
        self.report.kept_reversals.append(reversal_id)

    def repair(self, entry: JournalEntry) -> None:
        record = self.admin.record(entry.key, entry.txn_id)
        if record is None:
            self.confirm(entry)
            return
        if entry.txn_id.startswith("med:") or record.reversed_by is not None:
            self.adopt(entry.key, entry.txn_id)
            self.confirm(entry)
            return
        outcome = self.admin.undo(entry, self.cutoff_ms, split=False)
        if outcome == "undone":
            self.report.undone.append(entry.txn_id)
            return
        if outcome == "reversed":
            self.adopt(entry.key, entry.txn_id)
            self.confirm(entry)
            return
        if outcome != "moved" or record.reverses is None:
            self.report.skipped.append(entry.txn_id)
            return
        reversal_id = f"{record.reverses}:rev"
        if entry.txn_id != reversal_id:
            if self.admin.undo(entry, self.cutoff_ms, split=True) != "undone":
                self.report.skipped.append(entry.txn_id)
                return
            self.report.undone.append(entry.txn_id)
        self.keep_reversal(entry.key, reversal_id, record.reverses)
        self.admin.confirm([(entry.key, reversal_id)])


def recover(admin: JournaledStore, ledger: RecoveryLedger, grace_seconds: float) -> RecoveryReport:
    """Confirm or repair every journal entry older than the grace period (module docstring)."""
    cutoff_ms = admin.time_ms() - int(grace_seconds * 1000)
    entries = admin.journal(cutoff_ms)
    known = ledger.known_txns(e.txn_id for e in entries)
    confirmed = [(e.key, e.txn_id) for e in entries if e.txn_id in known]
    if confirmed:
        admin.confirm(confirmed)
    recovery = _Recovery(admin, ledger, cutoff_ms)
    recovery.report.confirmed = [txn_id for _, txn_id in confirmed]
    for entry in reversed(entries):
        if entry.txn_id not in known:
            recovery.repair(entry)
    report = recovery.report
    if report.repaired or report.skipped:
        ledger.audit(
            "accumulators.recovered",
            None,
            {
                "undone": report.undone,
                "kept_reversals": report.kept_reversals,
                "adopted": report.adopted,
                "skipped": report.skipped,
            },
        )
        _log.warning(
            "recovery: %d undone, %d reversals kept, %d adopted, %d skipped",
            len(report.undone),
            len(report.kept_reversals),
            len(report.adopted),
            len(report.skipped),
        )
    return report
