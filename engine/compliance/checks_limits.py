"""Checks of a plan's annual limits: ACA out-of-pocket maximums, HDHP and Part D figures.

Each check compares one figure of the plan file with one figure of a rule, so a
compliance officer can read it as "the plan says X, the law allows Y, source Z".
"""

from __future__ import annotations

from engine.compliance.library import InForce, Mandate
from engine.compliance.model import OutOfPocketLimit, PartDStandardBenefit
from engine.compliance.results import CheckResult, mandate_check
from engine.plans.plan import Deductible, OutOfPocket, PlanVersion

__all__ = ["aca_checks", "hdhp_checks", "part_d_checks"]

_PHARMACY_ONLY = (
    "pharmacy-only limit: the plan's medical limit and this one must together stay "
    "within the limit (the medical limit is not in rxadj's files)"
)


def _self_only(limit: Deductible | OutOfPocket | None) -> int | None:
    """The amount that applies in self-only coverage."""
    if limit is None:
        return None
    return limit.individual if limit.individual is not None else limit.family


def _per_person(limit: OutOfPocket) -> int | None:
    """The most one person in family coverage can be charged: embedded or family amount."""
    candidates = [limit.family] if limit.family is not None else []
    if limit.embedded and limit.individual is not None:
        candidates.append(limit.individual)
    return min(candidates) if candidates else None


def aca_checks(plan: PlanVersion, in_force: InForce) -> list[CheckResult]:
    """MOOP within the ACA limit, self-only and other than self-only, and embedded."""
    oop = plan.out_of_pocket
    scope = "" if oop.integrated_with_medical else _PHARMACY_ONLY
    results: list[CheckResult] = []
    for mandate in in_force.out_of_pocket_limits:
        rule = mandate.rule
        results.append(
            mandate_check(
                "self-only",
                "Out-of-pocket maximum, self-only coverage",
                _self_only(oop),
                rule.self_only,
                mandate,
                detail=scope,
            )
        )
        family_detail = scope if oop.family is not None else "the plan sets no family amount"
        results.append(
            mandate_check(
                "other-than-self-only",
                "Out-of-pocket maximum, other than self-only coverage",
                oop.family,
                rule.other_than_self_only,
                mandate,
                detail=family_detail,
            )
        )
    limit: Mandate[OutOfPocketLimit] | None = next(iter(in_force.out_of_pocket_limits), None)
    for embedded in in_force.embedded_self_only_limits:
        if limit is None:
            continue  # the missing figure is reported as a gap
        how = "embedded individual amount" if oop.embedded else "aggregate family amount"
        results.append(
            mandate_check(
                "per-person",
                "Each person in family coverage within the self-only limit",
                _per_person(oop),
                limit.rule.self_only,
                embedded,
                binding=limit.rule.citation.binding,
                detail=f"the plan's {how} bounds one person; self-only limit from {limit.ref}",
            )
        )
    return results


def hdhp_checks(plan: PlanVersion, in_force: InForce) -> list[CheckResult]:
    """IRS minimum deductible and maximum out-of-pocket of an HSA-qualified HDHP."""
    deductible = plan.deductible
    oop = plan.out_of_pocket
    results: list[CheckResult] = []
    year = in_force.plan_year
    calendar = (year.month, year.day) == (1, 1)
    for mandate in in_force.hdhp_limits:
        rule = mandate.rule
        binding = calendar or not rule.calendar_year
        timing = (
            ""
            if binding
            else f"calendar-year {year.year} figures applied to a plan year starting "
            f"{year.isoformat()}: that mapping is not verified (advisory)"
        )
        family_deductible = deductible.family if deductible is not None else None
        for aspect, title, value, limit, at_least in (
            (
                "minimum-deductible-self-only",
                "HDHP minimum deductible, self-only coverage",
                _self_only(deductible) or 0,
                rule.minimum_deductible.self_only,
                True,
            ),
            (
                "minimum-deductible-family",
                "HDHP minimum deductible, family coverage",
                family_deductible or _self_only(deductible) or 0,
                rule.minimum_deductible.family,
                True,
            ),
            (
                "maximum-out-of-pocket-self-only",
                "HDHP maximum out-of-pocket, self-only coverage",
                _self_only(oop),
                rule.maximum_out_of_pocket.self_only,
                False,
            ),
            (
                "maximum-out-of-pocket-family",
                "HDHP maximum out-of-pocket, family coverage",
                oop.family,
                rule.maximum_out_of_pocket.family,
                False,
            ),
        ):
            results.append(
                mandate_check(
                    aspect,
                    title,
                    value,
                    limit,
                    mandate,
                    at_least=at_least,
                    binding=binding,
                    detail=timing,
                )
            )
    minimum = next(iter(in_force.hdhp_limits), None)
    for embedded in in_force.hdhp_embedded_deductibles:
        if minimum is None or deductible is None or not deductible.embedded:
            continue
        results.append(
            mandate_check(
                "embedded-deductible",
                "HDHP embedded individual deductible at least the family minimum",
                deductible.individual or 0,
                minimum.rule.minimum_deductible.family,
                embedded,
                at_least=True,
                binding=minimum.rule.citation.binding,
                detail=f"family minimum from {minimum.ref}",
            )
        )
    return results


def part_d_checks(plan: PlanVersion, in_force: InForce) -> list[CheckResult]:
    """Deductible and out-of-pocket threshold within the defined standard benefit."""
    results: list[CheckResult] = []
    for mandate in in_force.part_d_standard_benefits:
        rule = mandate.rule
        results.append(
            mandate_check(
                "deductible",
                "Part D deductible",
                _self_only(plan.deductible) or 0,
                rule.deductible,
                mandate,
            )
        )
        results.append(
            mandate_check(
                "out-of-pocket-threshold",
                "Part D annual out-of-pocket threshold",
                _self_only(plan.out_of_pocket),
                rule.out_of_pocket_threshold,
                mandate,
            )
        )
        results.append(
            mandate_check(
                "catastrophic",
                "Part D enrollee cost sharing after the threshold",
                0,
                rule.catastrophic_cost_sharing,
                mandate,
                detail="rxadj charges nothing once the out-of-pocket maximum is met",
            )
        )
        results.append(_coinsurance(plan, mandate))
    return results


def _coinsurance(plan: PlanVersion, mandate: Mandate[PartDStandardBenefit]) -> CheckResult:
    rule = mandate.rule
    specs = [spec for channels in plan.cost_share.values() for spec in channels.values()]
    rates = [spec.coinsurance for spec in specs if spec.coinsurance is not None]
    copays = any(spec.copay is not None for spec in specs)
    highest = max(rates, default=None)
    limit = rule.initial_coinsurance
    return CheckResult(
        id=f"{mandate.ref}/initial-coinsurance",
        title="Part D initial coverage coinsurance (defined standard)",
        passed=highest is not None and highest <= limit and not copays,
        binding=False,
        value="none" if highest is None else f"{highest:%}" + (" and copays" if copays else ""),
        limit=f"{limit:%}",
        rule=mandate.ref,
        citation=rule.citation,
        detail="advisory: an actuarially equivalent design may use other cost sharing",
    )
