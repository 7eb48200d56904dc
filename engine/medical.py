"""Medical accumulator transactions: the medical carrier's share of integrated limits.

For plans whose deductible or out-of-pocket maximum integrates medical and pharmacy,
each medical claim's deductible and out-of-pocket amounts arrive as a transaction
with the carrier's own id. It is applied to the plan year of its date of service,
at most once (its id is the idempotency key), and changes the very next pharmacy
claim's cost share. A correction names the transaction it reverses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from engine.accumulators import (
    DEDUCTIBLE,
    MEDICAL,
    OUT_OF_POCKET,
    AccumulatorTxn,
    ApplyStatus,
    FamilyKey,
    amount_field,
)
from engine.catalog.catalog import Catalog
from engine.plans.members import MemberDirectory
from engine.store.base import AccumulatorStore

__all__ = [
    "MedicalOutcome",
    "MedicalResult",
    "MedicalTxn",
    "apply_medical",
    "medical_accumulator_txn",
]


@dataclass(frozen=True, slots=True)
class MedicalTxn:
    """One medical claim's accumulator amounts, in cents (negative for an adjustment)."""

    id: str
    cardholder_id: str
    person_code: str
    date_of_service: dt.date
    deductible: int
    out_of_pocket: int
    reverses: str | None = None


class MedicalOutcome(StrEnum):
    """What happened to a medical transaction."""

    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class MedicalResult:
    """The outcome, the family and plan year it went to, and why it was rejected."""

    outcome: MedicalOutcome
    family: FamilyKey | None = None
    reason: str | None = None


def _txn_id(medical_id: str) -> str:
    return f"med:{medical_id}"


def medical_accumulator_txn(
    txn: MedicalTxn, catalog: Catalog, members: MemberDirectory
) -> tuple[FamilyKey, AccumulatorTxn] | MedicalResult:
    """The family, plan year and accumulator transaction of a medical transaction.

    Or the rejection, when the member, coverage or plan cannot be found. Batch
    loaders and the ledger use the transaction itself; ``apply_medical`` applies it.
    """
    if not txn.id.strip():
        return MedicalResult(MedicalOutcome.REJECTED, reason="the transaction has no id")
    family = members.family(txn.cardholder_id)
    if family is None:
        return MedicalResult(MedicalOutcome.REJECTED, reason="cardholder id not on file")
    if txn.person_code not in family.persons:
        return MedicalResult(MedicalOutcome.REJECTED, reason="person code not on file")
    coverage = next(
        (
            c
            for c in family.coverages
            if txn.person_code in c.persons and c.covers(txn.date_of_service)
        ),
        None,
    )
    if coverage is None:
        return MedicalResult(
            MedicalOutcome.REJECTED, reason="the person has no coverage on the date of service"
        )
    runtime = catalog.plan_version(coverage.plan, txn.date_of_service)
    if runtime is None:
        return MedicalResult(
            MedicalOutcome.REJECTED,
            reason=f"no version of plan {coverage.plan} on the date of service",
        )
    key = FamilyKey(family.cardholder_id, runtime.plan.plan_year_start_for(txn.date_of_service))
    deltas = {
        name: cents
        for name, cents in (
            (amount_field(DEDUCTIBLE, txn.person_code, MEDICAL), txn.deductible),
            (amount_field(OUT_OF_POCKET, txn.person_code, MEDICAL), txn.out_of_pocket),
        )
        if cents
    }
    reverses = _txn_id(txn.reverses) if txn.reverses else None
    return key, AccumulatorTxn(_txn_id(txn.id), deltas, reverses=reverses)


def apply_medical(
    txn: MedicalTxn, catalog: Catalog, members: MemberDirectory, store: AccumulatorStore
) -> MedicalResult:
    """Apply one medical transaction to the member's family for its plan year."""
    planned = medical_accumulator_txn(txn, catalog, members)
    if isinstance(planned, MedicalResult):
        return planned
    key, accumulator_txn = planned
    result = store.apply(key, accumulator_txn, None)
    if result.status is ApplyStatus.APPLIED:
        return MedicalResult(MedicalOutcome.ACCEPTED, key)
    if result.status is ApplyStatus.DUPLICATE:
        return MedicalResult(MedicalOutcome.DUPLICATE, key)
    return MedicalResult(MedicalOutcome.REJECTED, key, reason=f"store refused: {result.status}")
