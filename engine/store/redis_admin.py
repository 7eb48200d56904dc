"""Operations on the Redis accumulator store beyond the port: journal, epochs, inspection.

Recovery reads the journal and undoes or confirms its entries; rebuild wipes a
prefix, replays the ledger and marks every slot built; verify reads families and
their transaction records to compare them with the ledger. None of this runs on
the per-claim path.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from redis.exceptions import RedisError

from engine.accumulators import AccumulatorTxn, ApplyStatus, FamilyKey, Fill, Snapshot
from engine.store.base import StoreUnavailable
from engine.store.redis import RedisAccumulatorStore
from engine.store.redis_layout import (
    JournalEntry,
    Layout,
    TxnRecord,
    decode_fill,
    decode_record,
    encode_deltas,
    encode_fill,
)

__all__ = ["RedisAdmin", "UndoOutcome"]

_log = logging.getLogger(__name__)

UndoOutcome = str
"""What the script did with an undo: undone, moved, reversed, fresh or gone."""

_CHUNK = 1000
_ANY_YEAR = dt.date(2000, 1, 1)
"""Fills are kept per family, not per plan year: any year names the family's fills key."""


class RedisAdmin:
    """Journal, epochs and inspection for one store (one prefix)."""

    def __init__(self, store: RedisAccumulatorStore) -> None:
        self.store = store
        self.client = store.client
        self.layout: Layout = store.layout

    def _pipelined(self, calls: Iterable[tuple[str, tuple[Any, ...]]]) -> list[Any]:
        results: list[Any] = []
        batch = list(calls)
        try:
            for start in range(0, len(batch), 4 * _CHUNK):
                with self.client.pipeline(transaction=False) as pipe:
                    for name, args in batch[start : start + 4 * _CHUNK]:
                        getattr(pipe, name)(*args)
                    results.extend(pipe.execute())
                self.store.stats.admin_round_trips += 1
        except RedisError as exc:
            raise StoreUnavailable(f"redis is unavailable: {exc}") from exc
        return results

    def time_ms(self) -> int:
        """Redis's clock in milliseconds (the clock journal scores use)."""
        try:
            seconds, micros = self.client.time()
        except RedisError as exc:
            raise StoreUnavailable(f"redis is unavailable: {exc}") from exc
        return int(seconds) * 1000 + int(micros) // 1000

    def _cluster(self) -> bool:
        return self.layout.cluster

    def is_built(self) -> bool:
        """Whether every epoch key is there (false after Redis restarted empty)."""
        names = self.layout.epoch_keys()
        if self._cluster():
            return all(self._pipelined(("exists", (name,)) for name in names))
        return bool(self._pipelined([("exists", tuple(names))])[0] == len(names))

    def mark_built(self, epoch: str) -> None:
        """Write every epoch key: the store accepts claims from now on."""
        names = self.layout.epoch_keys()
        if self._cluster():
            self._pipelined(("set", (name, epoch)) for name in names)
        else:
            self._pipelined([("mset", (dict.fromkeys(names, epoch),))])

    def journal(self, cutoff_ms: int | None = None) -> list[JournalEntry]:
        """Unconfirmed transactions applied by ``cutoff_ms`` (all if None), oldest first."""
        top = "+inf" if cutoff_ms is None else str(cutoff_ms)
        replies = self._pipelined(
            ("zrangebyscore", (name, "-inf", top, None, None, True))
            for name in self.layout.journal_keys()
        )
        entries = [
            Layout.parse_member(member, score) for reply in replies for member, score in reply
        ]
        return sorted(entries, key=lambda e: e.applied_ms)

    def confirm(self, committed: Sequence[tuple[FamilyKey, str]]) -> None:
        """Remove ledger-confirmed transactions from their journals (one round trip)."""
        calls = []
        for key, txn_id in committed:
            journal = self.layout.family_keys(key)[3]
            calls.append(("zrem", (journal, Layout.journal_member(key, txn_id))))
        self._pipelined(calls)

    def record(self, key: FamilyKey, txn_id: str) -> TxnRecord | None:
        """What the store remembers of one transaction."""
        try:
            text = self.client.hget(self.layout.family_keys(key)[1], txn_id)
        except RedisError as exc:
            raise StoreUnavailable(f"redis is unavailable: {exc}") from exc
        return None if text is None else decode_record(text)

    def records(self, key: FamilyKey) -> dict[str, TxnRecord]:
        """Every transaction record of a family and plan year."""
        try:
            raw = self.client.hgetall(self.layout.family_keys(key)[1])
        except RedisError as exc:
            raise StoreUnavailable(f"redis is unavailable: {exc}") from exc
        return {txn_id: decode_record(text) for txn_id, text in raw.items()}

    def fills(self, cardholder_id: str) -> dict[str, Fill]:
        """The family's fills by the transaction id they are kept under."""
        key = FamilyKey(cardholder_id, _ANY_YEAR)
        try:
            raw = self.client.hgetall(self.layout.family_keys(key)[2])
        except RedisError as exc:
            raise StoreUnavailable(f"redis is unavailable: {exc}") from exc
        return {
            txn_id: decode_fill(text, txn_id)[1] for txn_id, text in raw.items() if txn_id != "#"
        }

    def recorded_txns(self, key: FamilyKey) -> dict[str, tuple[dict[str, int], str | None]]:
        """Each transaction of a family and plan year: its deltas and who reversed it."""
        return {txn_id: (r.deltas, r.reversed_by) for txn_id, r in self.records(key).items()}

    def fills_of(self, cardholder_id: str) -> dict[str, Fill]:
        """The family's fills by the transaction id they are kept under (for verify)."""
        return self.fills(cardholder_id)

    def fresh_snapshot(self, key: FamilyKey) -> Snapshot:
        """The family's snapshot as Redis holds it now."""
        return self.store.fresh_snapshot(key)

    def rebuild(
        self,
        rows: Callable[[], Iterable[tuple[FamilyKey, AccumulatorTxn]]],
        epoch: str,
        settle: float = 0.0,
    ) -> list[str]:
        """Wipe the prefix, wait ``settle`` seconds, replay the ledger, mark every slot built.

        From the wipe to the end the slots have no epoch and every claim is refused
        (not acknowledged): the rebuild is never mixed with live changes. A claim
        applied just before the wipe may still commit to the ledger within its lease;
        ``settle`` (the ledger lease) makes the replay read the ledger only after
        every such commit has landed or been refused.
        """
        self.delete_all()
        time.sleep(settle)
        problems = self.replay(rows())
        self.mark_built(epoch)
        return problems

    def ensure_built(
        self,
        rows: Callable[[], Iterable[tuple[FamilyKey, AccumulatorTxn]]],
        epoch: str,
        settle: float = 0.0,
        wait: float = 600.0,
    ) -> bool:
        """Rebuild from the ledger if Redis lost its data; True if this call rebuilt.

        A lock key makes one process rebuild while the others starting at the same
        time wait for the epoch keys to appear.
        """
        if self.is_built():
            return False
        lock = f"{self.layout.prefix}:rebuild-lock"
        deadline = time.monotonic() + wait
        try:
            while not self.client.set(lock, epoch, nx=True, px=int(wait * 1000)):
                if self.is_built():
                    return False
                if time.monotonic() > deadline:
                    raise StoreUnavailable("another process has been rebuilding for too long")
                time.sleep(0.2)
            try:
                if self.is_built():
                    return False
                problems = self.rebuild(rows, epoch, settle)
                if problems:
                    _log.error("rebuild: the ledger has %d inconsistent rows", len(problems))
                return True
            finally:
                self.client.delete(lock)
        except RedisError as exc:
            raise StoreUnavailable(f"redis is unavailable: {exc}") from exc

    def undo(self, entry: JournalEntry, cutoff_ms: int, *, split: bool) -> UndoOutcome:
        """Undo an unconfirmed transaction (or, with ``split``, all but its reversal)."""
        reversal_id = ""
        reversal_member = ""
        if split:
            record = self.record(entry.key, entry.txn_id)
            if record is None or record.reverses is None:
                return "gone"
            reversal_id = f"{record.reverses}:rev"
            reversal_member = Layout.journal_member(entry.key, reversal_id)
        args = (
            "undo",
            entry.txn_id,
            Layout.journal_member(entry.key, entry.txn_id),
            str(cutoff_ms),
            "split" if split else "full",
            reversal_id,
            reversal_member,
        )
        reply = self.store.run_script(self.layout.family_keys(entry.key), args)
        self.store.cache.forget(entry.key)
        return str(reply[0])

    def replay(self, rows: Iterable[tuple[FamilyKey, AccumulatorTxn]]) -> list[str]:
        """Apply ledgered transactions in order, unjournaled and pipelined; list the refusals."""
        problems: list[str] = []
        sha = self.store.load_script()  # Redis may have restarted without it
        batch: list[tuple[FamilyKey, AccumulatorTxn]] = []

        def flush() -> None:
            calls = [
                (
                    "evalsha",
                    (
                        sha,
                        5,
                        *self.layout.family_keys(key),
                        "apply",
                        txn.id,
                        "",
                        "",
                        encode_deltas(txn.deltas),
                        txn.reverses or "",
                        "" if txn.fill is None else encode_fill(txn.fill, txn.id),
                        "",
                        "rebuild",
                    ),
                )
                for key, txn in batch
            ]
            for (key, txn), reply in zip(batch, self._pipelined(calls), strict=True):
                if reply[0] != ApplyStatus.APPLIED:
                    problems.append(f"{key} {txn.id}: {reply[0]}")
            batch.clear()

        for item in rows:
            batch.append(item)
            if len(batch) >= _CHUNK:
                flush()
        flush()
        self.store.cache.clear()
        return problems

    def family_keys(self) -> Iterator[FamilyKey]:
        """Every family and plan year that has an amounts hash under the prefix."""
        try:
            for name in self.client.scan_iter(match=f"{self.layout.prefix}:{{*}}:a:*", count=2000):
                card, _, year = Layout.parse_family_key(name)
                assert year is not None
                yield FamilyKey(card, dt.date.fromisoformat(year))
        except RedisError as exc:
            raise StoreUnavailable(f"redis is unavailable: {exc}") from exc

    def delete_all(self) -> int:
        """Delete every key under the prefix (families, journals, epochs); count them."""
        deleted = 0
        try:
            names: list[str] = []
            for name in self.client.scan_iter(match=f"{self.layout.prefix}:*", count=2000):
                names.append(name)
                if len(names) >= _CHUNK:
                    deleted += self._unlink(names)
            deleted += self._unlink(names)
        except RedisError as exc:
            raise StoreUnavailable(f"redis is unavailable: {exc}") from exc
        self.store.cache.clear()
        return deleted

    def _unlink(self, names: list[str]) -> int:
        count = sum(self._pipelined(("unlink", (name,)) for name in names))
        names.clear()
        return int(count)
