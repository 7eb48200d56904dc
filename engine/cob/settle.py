"""Settling a secondary or tertiary claim: patient pay, its parts, credits, Part D split.

This plan first adjudicates the claim as if it were the only payer (the normal
cost share S, plan payment N); then, from what the earlier payers paid (P) and
left the patient to pay:

1. the balance B the patient still owes: what the last payer reported (352-NQ),
   never more than this plan's allowed amount less P; when P covers the allowed
   amount in full the claim is refused with reject 74 (other carrier payment meets
   or exceeds payable);
2. this plan's payment by the plan's method (``engine.cob.methods``), and the
   patient pays B less it: never more than the earlier payers left, and never more
   than S;
3. the patient pay is split into the NCPDP parts in the order deductible,
   coinsurance, copay, brand penalty, so what counts toward the out-of-pocket
   maximum is paid first;
4. accumulators: the deductible is credited as without other coverage (NAIC: the
   secondary credits its own deductible); the out-of-pocket maximum only with
   what the patient really pays;
5. Medicare Part D: the other payers' reduction of the patient's liability (S less
   the patient pay) is split between payers that count toward TrOOP (``other_troop``)
   and those that do not (``plro``), the payer nearest the patient first, each up
   to what it paid; TrOOP grows by the patient pay plus ``other_troop``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from engine.adjudication.costshare import CostShareResult
from engine.adjudication.decision import Reject
from engine.adjudication.trace import Cents, Trace
from engine.cob.claims import paid, patient_balance
from engine.cob.figures import CobFigures
from engine.cob.methods import SecondaryInputs, secondary_payment
from engine.cob.occ import RULE, Coordination
from engine.cob.payers import COUNTS_TOWARD_TROOP
from engine.money import format_cents
from engine.ncpdp.rejects import RejectCode

__all__ = ["Settlement", "settle"]


@dataclass(slots=True)
class Settlement:
    """What the patient and this plan pay on a secondary claim, and what accumulates."""

    patient_pay: int
    plan_pay: int
    deductible: int
    coinsurance: int
    copay: int
    penalty: int
    out_of_pocket: int
    figures: CobFigures
    trace: Trace


def _parts(patient_pay: int, share: CostShareResult) -> list[int]:
    """The patient pay split over deductible, coinsurance, copay and penalty, in that order."""
    parts = []
    left = patient_pay
    for amount in (share.deductible, share.coinsurance, share.copay, share.penalty):
        part = min(amount, left)
        parts.append(part)
        left -= part
    return parts


def _troop_split(
    coordination: Coordination, reduction: int, trace: Trace, part_d: bool
) -> tuple[int, int]:
    """(other_troop, plro): the reduction of the patient's liability, by who paid it."""
    counted = not_counted = 0
    left = reduction
    pairs = list(zip(coordination.prior, coordination.prior_coverage, strict=True))
    for result, coverage in reversed(pairs):
        share = min(left, sum(a.amount or 0 for a in result.amounts_paid))
        left -= share
        counts = coverage is not None and coverage.kind in COUNTS_TOWARD_TROOP
        if counts:
            counted += share
        else:
            not_counted += share
        if part_d and share:
            payer = coverage.kind.value if coverage is not None else "a payer not on file"
            trace.add(
                "TrOOP: {} paid by {} {}", Cents(share), payer, "counts" if counts else "does not"
            )
    return counted, not_counted


def settle(
    coordination: Coordination,
    method: str,
    allowed: int,
    share: CostShareResult,
    out_of_pocket: int,
    patient_share_of: Callable[[int], int],
    part_d: bool,
) -> Settlement | Reject:
    """Settle a claim this plan pays after others (see the module docstring).

    ``share`` is the normal cost share, ``out_of_pocket`` what it would credit to
    the out-of-pocket maximum (after any manufacturer assistance is set aside).
    """
    trace = Trace()
    other_paid = paid(coordination.prior)
    reported = patient_balance(coordination.prior)
    if other_paid >= allowed:
        return Reject(
            RejectCode.OTHER_CARRIER_PAYMENT_MEETS_OR_EXCEEDS_PAYABLE,
            f"other payers paid {format_cents(other_paid)}: at least this plan's allowed amount",
            RULE,
            "431-DV",
        )
    left = allowed - other_paid
    balance = left if reported is None else min(reported, left)
    order = coordination.order
    if order is not None and order.position is not None:
        trace.add("order of benefits: rule {} ({})", order.rule, order.reason)
    trace.add(
        "payer {} after others: they paid {}, left the patient {}; balance {}",
        coordination.payer_seq,
        Cents(other_paid),
        "nothing stated" if reported is None else Cents(reported),
        Cents(balance),
    )
    inputs = SecondaryInputs(allowed, share.patient_pay, other_paid, balance, patient_share_of)
    plan_pay = secondary_payment(method, inputs, trace)
    patient_pay = balance - plan_pay
    deductible, coinsurance, copay, penalty = _parts(patient_pay, share)
    other_troop, plro = _troop_split(
        coordination, max(0, share.patient_pay - patient_pay), trace, part_d
    )
    own = min(patient_pay, out_of_pocket)
    credit = min(out_of_pocket, own + other_troop) if part_d else own
    trace.add(
        "patient pays {}, plan pays {}; out-of-pocket credit {} (normal {})",
        Cents(patient_pay),
        Cents(plan_pay),
        Cents(credit),
        Cents(out_of_pocket),
    )
    figures = CobFigures(
        payer_seq=coordination.payer_seq,
        method=method,
        normal_patient_pay=share.patient_pay,
        normal_plan_pay=share.plan_pay,
        other_payer_paid=other_paid,
        other_payer_patient_responsibility=reported,
        recognized=allowed - patient_pay - plan_pay,
        other_troop=other_troop,
        plro=plro,
    )
    return Settlement(
        patient_pay, plan_pay, deductible, coinsurance, copay, penalty, credit, figures, trace
    )
