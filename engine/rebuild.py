"""Accumulators rebuilt from the ledger, and compared with it.

The ledger's accumulation rows, replayed in the order they were recorded through
an accumulator store's own ``apply``, give exactly the state the store should
hold: the same amounts, transaction records, reversal marks and fills (versions
count applications, so they are not compared). ``rebuild`` makes a store so;
``verify`` lists every difference, field by field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from engine.accumulators import AccumulatorTxn, ApplyStatus, FamilyKey, Fill, Snapshot
from engine.store.base import AccumulatorStore
from engine.store.memory import MemoryAccumulatorStore

__all__ = [
    "Difference",
    "InspectableStore",
    "LedgerRow",
    "compare",
    "replay",
    "replay_into_memory",
]


class LedgerRow(Protocol):
    """An accumulation row as the ledger returns it."""

    @property
    def key(self) -> FamilyKey:
        """The family and plan year."""
        ...

    @property
    def txn(self) -> AccumulatorTxn:
        """The transaction exactly as it was applied."""
        ...


class InspectableStore(Protocol):
    """A store that can list what it holds (Redis, through ``RedisAdmin``)."""

    def family_keys(self) -> Iterable[FamilyKey]:
        """Every family and plan year with accumulators."""
        ...

    def recorded_txns(self, key: FamilyKey) -> Mapping[str, tuple[dict[str, int], str | None]]:
        """Each transaction of a family and plan year: its deltas and who reversed it."""
        ...

    def fills_of(self, cardholder_id: str) -> Mapping[str, Fill]:
        """The family's fills by the transaction id they are kept under."""
        ...

    def fresh_snapshot(self, key: FamilyKey) -> Snapshot:
        """The family's amounts as stored now."""
        ...


@dataclass(frozen=True, slots=True)
class Difference:
    """One disagreement: where, which field, and the ledger's and the store's value."""

    cardholder_id: str
    plan_year: str
    field: str
    ledger: str
    store: str


@dataclass(slots=True)
class _Expected:
    store: MemoryAccumulatorStore
    keys: list[FamilyKey]
    txns: dict[FamilyKey, dict[str, tuple[dict[str, int], str | None]]]
    fills: dict[str, dict[str, Fill]]
    problems: list[str]


def replay(rows: Iterable[tuple[FamilyKey, AccumulatorTxn]], store: AccumulatorStore) -> list[str]:
    """Apply ledgered transactions in order; list any the store refused (ledger damage)."""
    problems = []
    for key, txn in rows:
        result = store.apply(key, txn, None)
        if result.status is not ApplyStatus.APPLIED:
            problems.append(f"{key} {txn.id}: {result.status}")
    return problems


def replay_into_memory(rows: Iterable[tuple[FamilyKey, AccumulatorTxn]]) -> _Expected:
    """The state the ledger implies, with the records and fills a store should hold."""
    store = MemoryAccumulatorStore()
    expected = _Expected(store, [], {}, {}, [])
    for key, txn in rows:
        result = store.apply(key, txn, None)
        if result.status is not ApplyStatus.APPLIED:
            expected.problems.append(f"{key} {txn.id}: {result.status}")
            continue
        if key not in expected.txns:
            expected.keys.append(key)
            expected.txns[key] = {}
        records = expected.txns[key]
        records[txn.id] = (dict(txn.deltas), None)
        fills = expected.fills.setdefault(key.cardholder_id, {})
        if txn.reverses is not None:
            deltas, _ = records[txn.reverses]
            records[txn.reverses] = (deltas, txn.id)
            fills.pop(txn.reverses, None)
        if txn.fill is not None:
            fills[txn.id] = txn.fill
    return expected


def _diff_amounts(key: FamilyKey, want: Snapshot, got: Snapshot) -> list[Difference]:
    out = []
    for name in sorted(set(want.amounts) | set(got.amounts)):
        a, b = want.amounts.get(name, 0), got.amounts.get(name, 0)
        if a != b:
            out.append(
                Difference(
                    key.cardholder_id, key.plan_year.isoformat(), f"amount {name}", str(a), str(b)
                )
            )
    return out


def compare(
    rows: Iterable[tuple[FamilyKey, AccumulatorTxn]], store: InspectableStore
) -> tuple[list[Difference], list[str]]:
    """Every difference between the ledger's rows and the store, and any ledger problems."""
    expected = replay_into_memory(rows)
    keys = list(expected.keys)
    seen = set(keys)
    for key in store.family_keys():
        if key not in seen:
            keys.append(key)
            seen.add(key)
    out: list[Difference] = []
    for key in keys:
        year = key.plan_year.isoformat()
        out.extend(_diff_amounts(key, expected.store.snapshot(key), store.fresh_snapshot(key)))
        want, got = expected.txns.get(key, {}), store.recorded_txns(key)
        for txn_id in sorted(set(want) | set(got)):
            a, b = want.get(txn_id), got.get(txn_id)
            if a != b:
                out.append(Difference(key.cardholder_id, year, f"txn {txn_id}", _txn(a), _txn(b)))
    for card in sorted({k.cardholder_id for k in keys}):
        want_fills, got_fills = expected.fills.get(card, {}), store.fills_of(card)
        for txn_id in sorted(set(want_fills) | set(got_fills)):
            a, b = want_fills.get(txn_id), got_fills.get(txn_id)
            if a != b:
                out.append(Difference(card, "-", f"fill {txn_id}", _fill(a), _fill(b)))
    return out, expected.problems


def _txn(value: tuple[dict[str, int], str | None] | None) -> str:
    if value is None:
        return "absent"
    deltas, reversed_by = value
    text = ",".join(f"{name}={cents}" for name, cents in sorted(deltas.items())) or "no deltas"
    return text + (f" reversed by {reversed_by}" if reversed_by else "")


def _fill(fill: Fill | None) -> str:
    if fill is None:
        return "absent"
    return f"{fill.person_code} {fill.ndc} {fill.date_of_service.isoformat()} {fill.days_supply}d"
