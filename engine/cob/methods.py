"""How a secondary (or tertiary) plan computes its payment: the plan file's ``cob.method``.

With A this plan's allowed amount, S and N = A - S what the member and this plan
would pay with no other coverage, P what the earlier payers paid and B what they
left the patient to pay (never more than A - P, see ``engine.cob.settle``), this
plan pays:

- ``standard``: min(N, A - P). The NAIC model (mandates.md §6.3): up to the
  normal benefit, with the plans together never above the allowed amount.
- ``non_duplication``: max(0, N - P). "Benefit less benefit" (ERI glossary): the
  difference, if any, between the earlier payment and the normal benefit.
- ``carve_out``: max(0, B - S). The member pays this plan's own cost share, never
  more than B.
- ``maintenance_of_benefits``: (A - P) - S(A - P). This plan's cost share applied
  to what the earlier payers left of its allowed amount.

Every result is then bounded to [0, B]: a plan never pays more than the patient
still owes, and the patient pays B less the payment, so never more than the
earlier payers left them to pay.

Sources disagree on the names. The reference's single source for carve-out gives
"normal benefit minus the primary payment", which glossaries also use for
non-duplication; rxadj keeps ``non_duplication`` for that arithmetic and uses
``carve_out`` for the retiree-plan meaning, where the member pays what this plan
alone would charge. The two agree when the earlier payer reports no patient
responsibility (B = A - P) and differ when its lower price left the patient less
to pay. ``maintenance_of_benefits`` follows the reference (the secondary's
coinsurance on the allowed amount less the primary payment), with copays, the
deductible and caps applied the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from engine.adjudication.trace import Cents, Trace

__all__ = ["SecondaryInputs", "secondary_payment"]


@dataclass(frozen=True, slots=True)
class SecondaryInputs:
    """Everything a method needs, in cents (see the module docstring for the letters).

    ``patient_share_of`` gives this plan's cost share on a smaller allowed amount,
    computed as for any claim (deductible, copay or coinsurance, caps, maximum).
    """

    allowed: int
    normal_patient_pay: int
    other_paid: int
    balance: int
    patient_share_of: Callable[[int], int]

    @property
    def normal_plan_pay(self) -> int:
        """N: what this plan would have paid as the only payer."""
        return self.allowed - self.normal_patient_pay


def _standard(i: SecondaryInputs, trace: Trace) -> int:
    left = i.allowed - i.other_paid
    pay = min(i.normal_plan_pay, left)
    trace.add(
        "standard COB: lesser of the normal benefit {} and the allowed amount left {} = {}",
        Cents(i.normal_plan_pay),
        Cents(left),
        Cents(pay),
    )
    return pay


def _non_duplication(i: SecondaryInputs, trace: Trace) -> int:
    pay = max(0, i.normal_plan_pay - i.other_paid)
    trace.add(
        "non-duplication: normal benefit {} less other payers' {} = {}",
        Cents(i.normal_plan_pay),
        Cents(i.other_paid),
        Cents(pay),
    )
    return pay


def _carve_out(i: SecondaryInputs, trace: Trace) -> int:
    pay = max(0, i.balance - i.normal_patient_pay)
    trace.add(
        "carve-out: patient balance {} less this plan's cost share {} = {}",
        Cents(i.balance),
        Cents(i.normal_patient_pay),
        Cents(pay),
    )
    return pay


def _maintenance_of_benefits(i: SecondaryInputs, trace: Trace) -> int:
    left = max(0, i.allowed - i.other_paid)
    share = i.patient_share_of(left)
    pay = left - share
    trace.add(
        "maintenance of benefits: cost share {} on the allowed amount left {}; plan {}",
        Cents(share),
        Cents(left),
        Cents(pay),
    )
    return pay


_BY_NAME: dict[str, Callable[[SecondaryInputs, Trace], int]] = {
    "standard": _standard,
    "non_duplication": _non_duplication,
    "carve_out": _carve_out,
    "maintenance_of_benefits": _maintenance_of_benefits,
}


def secondary_payment(method: str, inputs: SecondaryInputs, trace: Trace) -> int:
    """Compute the payment by ``method``, bounded to what the patient still owes."""
    pay = _BY_NAME[method](inputs, trace)
    bounded = min(max(pay, 0), inputs.balance)
    if bounded != pay:
        trace.add("bounded to the patient balance {}: {}", Cents(inputs.balance), Cents(bounded))
    return bounded
