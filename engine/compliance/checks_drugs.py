"""Checks of drug cost-share caps, copay-accumulator bans and point-of-sale rules.

A cap is checked wherever the capped drugs sit: the formulary in effect when the
plan year starts says which tiers hold them, and every tier and channel (in and out
of network) where the plan defines cost share for such a tier is checked. The most a
member can be charged there is the tier's cost share (unbounded for coinsurance
without a maximum, or while the deductible applies) limited by the plan's own cap.

Supplies are checked at 30, 60 and 90 days, where a channel allows them (a channel
without a maximum days supply is taken to allow 90): at whole periods every reading of
"per 30-day supply" agrees, so the plan file is judged on what the law plainly says.
Between whole periods, adjudication enforces the most protective reading per claim.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, replace

from engine.compliance.effective import EffectiveCap, plan_caps
from engine.compliance.library import Mandate
from engine.compliance.model import AssistanceCounts, DrugCostShareCap, PointOfSaleLimit
from engine.compliance.results import CheckResult, money_text
from engine.plans.formulary import Formulary
from engine.plans.plan import Channel, CostShare, PlanVersion

__all__ = ["assistance_checks", "drug_cap_checks", "point_of_sale_checks", "supply_points"]

_WHOLE_PERIODS = (30, 60, 90)
_DEFAULT_MAX_DAYS = 90


def supply_points(plan: PlanVersion, channel: Channel) -> tuple[int, ...]:
    """The days supplies a channel is checked at: 30, 60 and 90 where it allows them."""
    rules = plan.network_rules
    high = rules.max_days_supply.get(channel, _DEFAULT_MAX_DAYS)
    low = 1
    if channel is Channel.RETAIL_30:
        high = min(high, rules.retail_30_max_days)
    elif channel is Channel.RETAIL_90:
        low = rules.retail_30_max_days + 1
    points = tuple(days for days in _WHOLE_PERIODS if low <= days <= high)
    return points or ((high,) if high >= low else ())


def _share_ceiling(spec: CostShare) -> int | None:
    """The most a tier's cost share can come to on any price (None: no ceiling)."""
    if spec.coinsurance is None:
        return spec.copay
    coinsurance = (spec.minimum or 0) if spec.coinsurance == 0 else spec.maximum
    if spec.copay is None:
        return coinsurance
    if spec.combine == "lesser":
        return spec.copay
    return None if coinsurance is None else max(spec.copay, coinsurance)


@dataclass(frozen=True, slots=True)
class _Point:
    """The most a member can be charged for one supply, and what the rule allows for it."""

    days: int
    value: int | None
    limit: int
    deductible_applies: bool

    @property
    def margin(self) -> float:
        """How far under the limit; an unbounded charge is the worst there is."""
        return -math.inf if self.value is None else self.limit - self.value


def _point(
    plan: PlanVersion,
    caps: list[EffectiveCap],
    rule: DrugCostShareCap,
    spec: CostShare,
    tier: int,
    classes: frozenset[str],
    days: int,
) -> _Point:
    own = [cap for cap in caps if cap.covers(classes)]
    lowest = min(own, key=lambda cap: cap.limit(days)) if own else None
    deductible = plan.deductible
    deductible_applies = (
        deductible is not None
        and tier not in deductible.exempt_tiers
        and not classes & deductible.exempt_classes
        and not (lowest is not None and lowest.skips_deductible)
    )
    value = _share_ceiling(spec)
    if deductible_applies and rule.deductible != "after_deductible":
        value = None
    if lowest is not None:
        cap = lowest.limit(days)
        value = cap if value is None else min(value, cap)
    limit = rule.amount * max(1, days // rule.per_days)
    return _Point(days, value, limit, deductible_applies)


def _groups(formulary: Formulary, rule: DrugCostShareCap) -> dict[int, set[frozenset[str]]]:
    """Tier -> the distinct class sets of the covered drugs the rule reaches in it."""
    groups: dict[int, set[frozenset[str]]] = defaultdict(set)
    for drug in formulary.drugs.values():
        if not drug.excluded and rule.covers(drug.classes):
            groups[drug.tier].add(drug.classes)
    return groups


def _check(
    mandate: Mandate[DrugCostShareCap],
    aspect: str,
    title: str,
    passed: bool,
    value: str,
    limit: str,
    detail: str = "",
) -> CheckResult:
    return CheckResult(
        id=f"{mandate.ref}/{aspect}",
        title=title,
        passed=passed,
        binding=mandate.rule.citation.binding,
        value=value,
        limit=limit,
        rule=mandate.ref,
        citation=mandate.rule.citation,
        detail=detail,
    )


def _cap_result(
    mandate: Mandate[DrugCostShareCap], where: str, label: str, point: _Point
) -> CheckResult:
    unbounded = "no ceiling: coinsurance without a maximum, or the deductible applies"
    return replace(
        _check(
            mandate,
            where,
            f"{mandate.rule.title}: {label}",
            point.value is not None and point.value <= point.limit,
            f"{money_text(point.value)} for {point.days} days",
            f"{money_text(point.limit)} for {point.days} days",
            unbounded if point.value is None else "",
        ),
        value_cents=point.value,
        limit_cents=point.limit,
    )


def drug_cap_checks(
    plan: PlanVersion, mandate: Mandate[DrugCostShareCap], formulary: Formulary
) -> list[CheckResult]:
    """The cap in every tier and channel that holds drugs it reaches, and its extras."""
    rule = mandate.rule
    groups = _groups(formulary, rule)
    if not groups:
        where = f"formulary {formulary.formulary}@{formulary.version}"
        return [_check(mandate, "coverage", rule.title, True, f"none on {where}", "-")]
    caps = plan_caps(plan)
    results: list[CheckResult] = []
    deductible_tiers: set[int] = set()
    one_period: list[int | None] = []
    tables = (("", plan.cost_share), (" out of network", plan.out_of_network_cost_share))
    for network, table in tables:
        for tier in sorted(groups):
            for channel, spec in table.get(tier, {}).items():
                points = [
                    _point(plan, caps, rule, spec, tier, classes, days)
                    for days in supply_points(plan, channel)
                    for classes in groups[tier]
                ]
                if not points:
                    continue
                deductible_tiers.update(tier for p in points if p.deductible_applies)
                one_period.extend(p.value for p in points if p.days <= rule.per_days)
                where = ("out-of-network/" if network else "") + f"tier-{tier}/{channel.value}"
                label = f"tier {tier}, {channel.value}{network}"
                worst = min(points, key=lambda point: point.margin)
                results.append(_cap_result(mandate, where, label, worst))
    if rule.deductible == "not_applied":
        results.append(_deductible_check(mandate, deductible_tiers))
    if rule.credits_deductible:
        results.append(_credits_check(plan, mandate, caps))
    if rule.basis == "all_prescriptions":
        bounded = [value for value in one_period if value is not None]
        each = max(bounded, default=0) if len(bounded) == len(one_period) else None
        results.append(_aggregate_check(mandate, each, caps))
    return results


def _deductible_check(mandate: Mandate[DrugCostShareCap], tiers: set[int]) -> CheckResult:
    listed = ", ".join(str(tier) for tier in sorted(tiers))
    return _check(
        mandate,
        "deductible",
        f"{mandate.rule.title}: not subject to the deductible",
        not tiers,
        f"the deductible applies in tier {listed}" if tiers else "does not apply",
        "does not apply",
    )


def _credits_check(
    plan: PlanVersion, mandate: Mandate[DrugCostShareCap], caps: list[EffectiveCap]
) -> CheckResult:
    rule = mandate.rule
    credited = plan.deductible is None or any(
        cap.credits_deductible for cap in caps if cap.covers(rule.drug_classes)
    )
    return _check(
        mandate,
        "credits-deductible",
        f"{rule.title}: payments count toward the deductible",
        credited,
        "count" if credited else "do not count (no plan cap with credits_deductible)",
        "count",
    )


def _aggregate_check(
    mandate: Mandate[DrugCostShareCap], each: int | None, caps: list[EffectiveCap]
) -> CheckResult:
    """An all-prescriptions cap holds when the plan caps the total, or no fill costs anything.

    The plan's cap must reach every class the rule names, over the same period, for no
    more than the rule allows.
    """
    rule = mandate.rule
    total = min(
        (
            cap.amount
            for cap in caps
            if cap.all_prescriptions
            and cap.per_days == rule.per_days
            and all(cap.covers(frozenset({name})) for name in rule.drug_classes)
        ),
        default=None,
    )
    value = f"{money_text(total)} for all prescriptions per {rule.per_days} days"
    detail = ""
    if total is None:
        value = (
            f"each prescription up to {money_text(each)} per {rule.per_days} days; "
            "nothing limits the total across prescriptions"
        )
        detail = (
            "the plan's caps apply to each fill; set all_prescriptions on the cap to bound "
            "the member's total for the period"
        )
    return _check(
        mandate,
        "all-prescriptions",
        f"{rule.title}: the member's whole supply for the period",
        each == 0 or (total is not None and total <= rule.amount),
        value,
        f"{money_text(rule.amount)} for all prescriptions per {rule.per_days} days",
        detail,
    )


def assistance_checks(
    plan: PlanVersion, mandates: tuple[Mandate[AssistanceCounts], ...]
) -> list[CheckResult]:
    """A copay-accumulator ban needs a plan that counts manufacturer assistance."""
    results = []
    for mandate in mandates:
        rule = mandate.rule
        counts = plan.manufacturer_assistance_counts
        scope = "every drug" if rule.condition == "always" else "drugs without a generic, or via PA"
        results.append(
            CheckResult(
                id=f"{mandate.ref}/assistance",
                title=rule.title,
                passed=counts,
                binding=rule.citation.binding,
                value="counts" if counts else "excluded (copay accumulator program)",
                limit=f"counts ({scope})",
                rule=mandate.ref,
                citation=rule.citation,
            )
        )
    return results


def point_of_sale_checks(mandates: tuple[Mandate[PointOfSaleLimit], ...]) -> list[CheckResult]:
    """Lesser-of rules hold by construction: the member never pays over the allowed amount."""
    return [
        CheckResult(
            id=f"{mandate.ref}/lesser-of",
            title=mandate.rule.title,
            passed=True,
            binding=mandate.rule.citation.binding,
            value="patient pay at most the allowed amount: the lesser of contract price "
            "(fee included), submitted cost, U&C and gross amount due",
            limit="lesser of " + ", ".join(sorted(mandate.rule.lesser_of)).replace("_", " "),
            rule=mandate.ref,
            citation=mandate.rule.citation,
            detail="enforced by pricing and cost share on every claim",
        )
        for mandate in mandates
    ]
