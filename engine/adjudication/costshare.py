"""Cost share: what the member pays, and what it adds to the deductible and out-of-pocket.

The order is the one benefit documents describe:

1. a DAW brand penalty (brand minus generic price) is set aside;
2. the deductible takes what it can of the rest, unless the drug is exempt;
3. the tier's copay or coinsurance applies to what the deductible left;
4. a class cap (insulin per 30 days, say) limits the member's share;
5. the out-of-pocket maximum limits what counts toward it, and the plan pays the rest.

Every step records a line in the trace so an analyst can see how each cent was
reached. All amounts are integer cents; coinsurance rounds half up to the cent.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.adjudication.trace import Cents, Trace
from engine.money import percent_of
from engine.plans.plan import CostShare

__all__ = ["CostShareInputs", "CostShareResult", "compute_cost_share"]


@dataclass(slots=True)
class CostShareInputs:
    """Everything cost share depends on, already resolved for one claim."""

    allowed: int
    penalty: int
    spec: CostShare
    deductible_applies: bool
    deductible_remaining: int | None
    out_of_pocket_remaining: int | None
    cap: int | None
    cap_label: str | None
    penalty_counts_toward_out_of_pocket: bool


@dataclass(slots=True)
class CostShareResult:
    """The member's share broken into the parts NCPDP reports, and what accumulates."""

    patient_pay: int
    plan_pay: int
    deductible: int
    copay: int
    coinsurance: int
    penalty: int
    out_of_pocket: int
    capped_by: str | None
    trace: Trace


def _tier_share(spec: CostShare, base: int, trace: Trace) -> tuple[int, int]:
    """(copay, coinsurance) owed on ``base``; at most one of them is non-zero."""
    copay = min(spec.copay, base) if spec.copay is not None else None
    coinsurance = None
    if spec.coinsurance is not None:
        coinsurance = percent_of(base, spec.coinsurance)
        raw = coinsurance
        if spec.minimum is not None:
            coinsurance = max(coinsurance, spec.minimum)
        if spec.maximum is not None:
            coinsurance = min(coinsurance, spec.maximum)
        coinsurance = min(coinsurance, base)
        if coinsurance != raw:
            trace.add(
                "coinsurance {:%} of {} = {}, bounded to {}",
                spec.coinsurance,
                Cents(base),
                Cents(raw),
                Cents(coinsurance),
            )
        else:
            trace.add("coinsurance {:%} of {} = {}", spec.coinsurance, Cents(base), Cents(raw))
    if copay is not None:
        trace.add("copay {} on {} = {}", Cents(spec.copay or 0), Cents(base), Cents(copay))
    if copay is not None and coinsurance is not None:
        use_copay = copay <= coinsurance if spec.combine == "lesser" else copay >= coinsurance
        trace.add(
            "{} of copay and coinsurance: {}", spec.combine, "copay" if use_copay else "coinsurance"
        )
        return (copay, 0) if use_copay else (0, coinsurance)
    if copay is not None:
        return copay, 0
    return 0, coinsurance or 0


def _cut(amounts: list[int], excess: int) -> int:
    """Reduce ``amounts`` in order by up to ``excess`` in total; return what is left to cut."""
    for index, amount in enumerate(amounts):
        take = min(amount, excess)
        amounts[index] = amount - take
        excess -= take
    return excess


def compute_cost_share(inputs: CostShareInputs) -> CostShareResult:
    """Split the allowed amount between member and plan (see the module docstring)."""
    trace = Trace()
    penalty = min(inputs.penalty, inputs.allowed)
    base = inputs.allowed - penalty
    if penalty:
        trace.add("brand penalty {}; cost share on {}", Cents(penalty), Cents(base))

    deductible = 0
    if inputs.deductible_applies and inputs.deductible_remaining:
        deductible = min(base, inputs.deductible_remaining)
        trace.add(
            "deductible: {} of {} remaining", Cents(deductible), Cents(inputs.deductible_remaining)
        )
    elif not inputs.deductible_applies:
        trace.add("deductible does not apply to this drug")

    copay, coinsurance = _tier_share(inputs.spec, base - deductible, trace)

    capped_by = None
    if inputs.cap is not None and deductible + copay + coinsurance > inputs.cap:
        parts = [copay, coinsurance, deductible]
        _cut(parts, deductible + copay + coinsurance - inputs.cap)
        copay, coinsurance, deductible = parts
        capped_by = inputs.cap_label
        trace.add("{}: member share limited to {}", inputs.cap_label, Cents(inputs.cap))

    counted_penalty = penalty if inputs.penalty_counts_toward_out_of_pocket else 0
    countable = deductible + copay + coinsurance + counted_penalty
    remaining = inputs.out_of_pocket_remaining
    if remaining is not None and countable > remaining:
        parts = [copay, coinsurance, counted_penalty, deductible]
        _cut(parts, countable - remaining)
        copay, coinsurance, new_counted_penalty, deductible = parts
        if inputs.penalty_counts_toward_out_of_pocket:
            penalty = new_counted_penalty
            counted_penalty = new_counted_penalty
        capped_by = "out-of-pocket maximum"
        trace.add("out-of-pocket maximum: only {} remained; plan pays the rest", Cents(remaining))
    out_of_pocket = deductible + copay + coinsurance + counted_penalty
    patient_pay = deductible + copay + coinsurance + penalty
    trace.add(
        "patient pays {}, plan pays {}", Cents(patient_pay), Cents(inputs.allowed - patient_pay)
    )
    return CostShareResult(
        patient_pay=patient_pay,
        plan_pay=inputs.allowed - patient_pay,
        deductible=deductible,
        copay=copay,
        coinsurance=coinsurance,
        penalty=penalty,
        out_of_pocket=out_of_pocket,
        capped_by=capped_by,
        trace=trace,
    )
