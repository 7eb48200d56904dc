"""Accumulators as values: keys, snapshots, transactions and what remains of a limit.

Amounts are kept per person, per bucket (deductible, out-of-pocket) and per source
(pharmacy, medical); a family's total is the sum over its persons, derived on
read, so there is no second number that could disagree with the first. Stores
(memory, Redis) hold these values; the arithmetic lives here, pure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "DEDUCTIBLE",
    "MEDICAL",
    "OUT_OF_POCKET",
    "PHARMACY",
    "AccumulatorTxn",
    "ApplyResult",
    "ApplyStatus",
    "FamilyKey",
    "Fill",
    "Snapshot",
    "amount_field",
    "negate",
    "parse_amount_field",
]

DEDUCTIBLE = "ded"
OUT_OF_POCKET = "oop"
PHARMACY = "rx"
MEDICAL = "med"


def amount_field(bucket: str, person_code: str, source: str) -> str:
    """The name of one amount: ``ded:001:rx`` is person 001's pharmacy deductible."""
    return f"{bucket}:{person_code}:{source}"


def parse_amount_field(name: str) -> tuple[str, str, str]:
    """Split ``ded:001:rx`` into (bucket, person code, source)."""
    bucket, person_code, source = name.split(":")
    return bucket, person_code, source


@dataclass(frozen=True, slots=True)
class FamilyKey:
    """One family (cardholder id) in one plan year (named by the year's first day)."""

    cardholder_id: str
    plan_year: dt.date

    def __str__(self) -> str:
        return f"{self.cardholder_id}@{self.plan_year.isoformat()}"


@dataclass(slots=True)
class Fill:
    """A paid fill, kept for refill-too-soon and step-therapy checks."""

    txn_id: str
    person_code: str
    ndc: str
    group: str
    date_of_service: dt.date
    days_supply: int
    clarifications: tuple[str, ...] = ()
    """Submission clarification codes that lifted an edit for this fill (their use is
    counted against the plan's allowance)."""
    member_share: int = 0
    """Cents the member paid under the caps (deductible, copay, coinsurance; not a brand
    penalty): a cap on all prescriptions of a period subtracts it from the next fill's."""


@dataclass(slots=True)
class Snapshot:
    """A family's amounts in one plan year, its fills, and the version they were read at."""

    version: int = 0
    amounts: Mapping[str, int] = field(default_factory=dict)
    fills: tuple[Fill, ...] = ()
    _by_bucket: dict[tuple[str, str], dict[str, int]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        # Index the amounts once: a claim asks for several sums, each must be cheap.
        for name, cents in self.amounts.items():
            bucket, person_code, source = parse_amount_field(name)
            people = self._by_bucket.setdefault((bucket, source), {})
            people[person_code] = people.get(person_code, 0) + cents

    def met(self, bucket: str, sources: Iterable[str], person_code: str | None = None) -> int:
        """What has been met in a bucket from the given sources: one person's, or the family's."""
        total = 0
        for source in sources:
            people = self._by_bucket.get((bucket, source))
            if people:
                total += sum(people.values()) if person_code is None else people.get(person_code, 0)
        return total

    def with_applied(self, deltas: Mapping[str, int], fills: tuple[Fill, ...]) -> Snapshot:
        """The snapshot after adding ``deltas`` and replacing the fills (for B3 and tests)."""
        amounts = dict(self.amounts)
        for name, cents in deltas.items():
            amounts[name] = amounts.get(name, 0) + cents
        return Snapshot(version=self.version, amounts=amounts, fills=fills)


def negate(deltas: Mapping[str, int]) -> dict[str, int]:
    """The deltas that exactly undo ``deltas``."""
    return {name: -cents for name, cents in deltas.items()}


@dataclass(slots=True)
class AccumulatorTxn:
    """One atomic change to a family's accumulators, applied at most once.

    ``id`` is the idempotency key (for a claim: its claim key and sequence; for a
    medical feed row: the feed's id). ``reverses`` names an earlier transaction to
    undo in the same atomic step: a reversal has no deltas of its own, a rebill has
    both. ``fill`` is recorded for refill-too-soon; the reversed transaction's fill
    is removed.
    """

    id: str
    deltas: Mapping[str, int] = field(default_factory=dict)
    fill: Fill | None = None
    reverses: str | None = None


class ApplyStatus(StrEnum):
    """What a store did with a transaction."""

    APPLIED = "applied"
    DUPLICATE = "duplicate"
    CONFLICT = "conflict"
    UNKNOWN_ORIGINAL = "unknown_original"
    ALREADY_REVERSED = "already_reversed"


@dataclass(slots=True)
class ApplyResult:
    """The outcome of ``apply``; on conflict it carries the current snapshot to retry with."""

    status: ApplyStatus
    version: int
    deltas: Mapping[str, int] = field(default_factory=dict)
    snapshot: Snapshot | None = None
