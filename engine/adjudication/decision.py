"""Decisions as data: what adjudication concluded, ready for the shell to apply and answer.

A decision carries the status, the rejects (code, message and the rule that fired),
the pricing and cost-share figures NCPDP reports, what remains of each limit, the
accumulator transaction to apply, the versions of every file it used, and a trace
of how each figure was reached.

The value types of the hot path (decisions, facts, claims) are slotted dataclasses
but not frozen: a frozen dataclass pays about 0.2 µs per field on construction
(measured here), which on a claim's dozen objects is most of the time budget.
They are never mutated after construction; ``dataclasses.replace`` makes changed
copies.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from engine.accumulators import AccumulatorTxn, FamilyKey
from engine.adjudication.trace import Trace
from engine.cob.figures import CobFigures, OtherPayerInfo
from engine.ncpdp.rejects import RejectCode

__all__ = [
    "AuthorizationUsed",
    "CostShareFigures",
    "Decision",
    "Reject",
    "Remaining",
    "Status",
    "Versions",
]


class Status:
    """Transaction response status values (112-AN) rxadj answers with."""

    PAID = "P"
    REJECTED = "R"
    DUPLICATE_OF_PAID = "D"
    APPROVED = "A"
    DUPLICATE_OF_APPROVED = "S"


@dataclass(slots=True)
class Reject:
    """One reject: the NCPDP code, why, which rule said so, and the field at fault."""

    code: RejectCode
    message: str
    rule: str | None = None
    field_id: str | None = None
    occurrence: int | None = None


@dataclass(slots=True)
class Versions:
    """The file versions a decision used, as ``id@version``."""

    plan: str
    formulary: str | None = None
    network: str | None = None
    prices: str | None = None
    edits: str | None = None


@dataclass(slots=True)
class CostShareFigures:
    """The amounts of a paid claim, in cents, with the NCPDP field each one fills."""

    ingredient_cost_paid: int
    dispensing_fee_paid: int
    allowed: int
    patient_pay: int
    plan_pay: int
    deductible: int
    copay: int
    coinsurance: int
    product_selection: int
    out_of_pocket: int
    basis_of_reimbursement: str
    capped_by: str | None = None
    cob: CobFigures | None = None
    """How the claim was settled after other payers; None when this plan paid first."""


@dataclass(slots=True)
class Remaining:
    """What is met and what remains after the claim; None where the plan has no such limit."""

    deductible_met: int | None
    deductible_remaining: int | None
    deductible_family_remaining: int | None
    out_of_pocket_met: int | None
    out_of_pocket_remaining: int | None
    out_of_pocket_family_remaining: int | None
    deductible_met_by_this_claim: bool = False
    out_of_pocket_met_by_this_claim: bool = False


@dataclass(frozen=True, slots=True)
class AuthorizationUsed:
    """The prior authorization a paid claim relied on, as the response reports it (AM26)."""

    number: str
    effective: dt.date
    expires: dt.date
    quantity: Decimal | None = None


@dataclass(slots=True)
class Decision:
    """The result of adjudicating one transaction."""

    transaction_code: str
    status: str
    claim_key: str | None = None
    rejects: tuple[Reject, ...] = ()
    figures: CostShareFigures | None = None
    remaining: Remaining | None = None
    family: FamilyKey | None = None
    txn: AccumulatorTxn | None = None
    versions: Versions | None = None
    authorization_number: str | None = None
    group_id: str | None = None
    plan_id: str | None = None
    tier: int | None = None
    channel: str | None = None
    prior_authorization: AuthorizationUsed | None = None
    overrides: tuple[str, ...] = ()
    """Edits lifted for this claim, each with what lifted it (clarification codes)."""
    messages: tuple[str, ...] = ()
    other_payers: tuple[OtherPayerInfo, ...] = ()
    """The member's other payers on the date of service, for the response's segment 28."""
    trace: Trace = field(default_factory=Trace, compare=False)

    @property
    def paid(self) -> bool:
        """Whether the claim was paid (a duplicate of a paid claim answers its figures too)."""
        return self.status in (Status.PAID, Status.DUPLICATE_OF_PAID)
