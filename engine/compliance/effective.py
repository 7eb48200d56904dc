"""What adjudication enforces for one plan version, computed once at catalog load.

The plan file says what the plan intends; the mandates say what the law allows. A
claim must obey both, so a plan version's own caps and limits are merged with the
mandates in force: for each cap the lower amount wins, the out-of-pocket limit gets a
:class:`~engine.adjudication.limits.Ceiling` (the ACA self-only limit for every person
in family coverage, the Part D threshold), and a copay-accumulator ban makes
manufacturer assistance count. Only binding (VERIFIED) rules are enforced: a weaker
figure is reported by the checker, never charged at the counter.

Per claim this costs a handful of comparisons: the merging happened at load time.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass

from engine.adjudication.limits import Ceiling
from engine.compliance.library import InForce
from engine.compliance.model import ALL_DRUGS
from engine.money import format_cents
from engine.plans.formulary import Drug
from engine.plans.plan import PlanVersion

__all__ = [
    "AssistanceRule",
    "CapLimit",
    "ClaimCap",
    "EffectiveCap",
    "PlanMandates",
    "assistance_required",
    "plan_caps",
    "plan_mandates",
]


@dataclass(frozen=True, slots=True)
class EffectiveCap:
    """One cap as adjudication applies it: the plan's own, or a mandate's (``rule`` set).

    A plan's cap counts every period started (``ceil``), as plan files have always
    meant it; a mandate's counts whole periods dispensed, at least one (see
    :class:`~engine.compliance.model.DrugCostShareCap`).
    """

    classes: frozenset[str]
    amount: int
    per_days: int
    periods_started: bool
    skips_deductible: bool
    credits_deductible: bool
    after_deductible: bool
    label: str
    rule: str | None = None
    all_prescriptions: bool = False
    """The amount bounds all the member's fills of the classes in ``per_days`` days."""

    def covers(self, classes: frozenset[str]) -> bool:
        """Whether a drug with these classes falls under the cap."""
        return ALL_DRUGS in self.classes or bool(classes & self.classes)

    def limit(self, days_supply: int) -> int:
        """The most the member may pay under this cap for a fill of ``days_supply`` days."""
        if self.periods_started:
            return self.amount * math.ceil(days_supply / self.per_days)
        return self.amount * max(1, days_supply // self.per_days)


@dataclass(slots=True)
class CapLimit:
    """The ceiling handed to cost share for one fill, and who set it."""

    amount: int
    label: str
    rule: str | None
    """The mandate that set the ceiling, or None when the plan's own cap did."""
    plan_amount: int | None
    """What the plan's own cap alone would have allowed (None: the plan has no cap)."""


@dataclass(slots=True)
class ClaimCap:
    """The caps that reach one fill, resolved for its days supply."""

    plan: EffectiveCap | None
    plan_amount: int | None
    mandated: tuple[tuple[EffectiveCap, int], ...]
    plan_skips_deductible: bool
    """The plan's own cap takes the drug out of the deductible."""
    skip_rule: str | None
    """The mandate that takes the drug out of the deductible, if one does."""
    credits_deductible: bool

    @property
    def skips_deductible(self) -> bool:
        """Whether the drug skips the deductible, by the plan's cap or by a mandate."""
        return self.plan_skips_deductible or self.skip_rule is not None

    def limit(self, deductible_part: int) -> CapLimit:
        """The lowest ceiling on the member's whole share (deductible included).

        ``deductible_part`` is what the deductible takes of this fill: a cap that
        applies only after the deductible (Louisiana) leaves that part outside it.
        On a tie the plan's own cap is named: the mandate did not lower anything.
        """
        best: CapLimit | None = None
        if self.plan is not None and self.plan_amount is not None:
            best = CapLimit(self.plan_amount, self.plan.label, None, self.plan_amount)
        for cap, amount in self.mandated:
            total = amount + deductible_part if cap.after_deductible else amount
            if best is None or total < best.amount:
                best = CapLimit(total, cap.label, cap.rule, self.plan_amount)
        assert best is not None
        return best


@dataclass(frozen=True, slots=True)
class AssistanceRule:
    """A copay-accumulator ban in force: which drugs it reaches, and its rule."""

    condition: str
    rule: str


def assistance_required(condition: str, drug: Drug | None) -> bool:
    """Whether a ban with this condition makes assistance count for ``drug``.

    ``no_generic_or_exception`` reaches a drug without a generic equivalent, or one
    obtained through prior authorization or step therapy; an unknown drug is
    treated as reached (the member's side of the doubt).
    """
    if condition == "always" or drug is None:
        return True
    generic_available = not drug.brand or drug.generic_ndc is not None or drug.multi_source == "O"
    exception = drug.pa_required or drug.step_therapy is not None
    return not generic_available or exception


@dataclass(frozen=True, slots=True)
class PlanMandates:
    """The caps, out-of-pocket ceiling and assistance rules one plan version enforces."""

    plan_year: dt.date
    caps: tuple[EffectiveCap, ...] = ()
    ceiling: Ceiling | None = None
    ceiling_rules: tuple[str, ...] = ()
    assistance: tuple[AssistanceRule, ...] = ()

    def claim_cap(
        self,
        classes: frozenset[str],
        days_supply: int,
        spent: Callable[[EffectiveCap], int] = lambda _: 0,
    ) -> ClaimCap | None:
        """The caps that reach a drug with ``classes``, or None when none does.

        ``spent`` says what the member already paid under an all-prescriptions cap in
        its period; that cap allows only the rest of its amount.
        """
        plan: EffectiveCap | None = None
        plan_amount: int | None = None
        mandated: list[tuple[EffectiveCap, int]] = []
        skip_rule: str | None = None
        credits = False
        for cap in self.caps:
            if not cap.covers(classes):
                continue
            amount = cap.limit(days_supply)
            if cap.all_prescriptions:
                amount = max(0, amount - spent(cap))
            if cap.rule is not None:
                mandated.append((cap, amount))
                if cap.skips_deductible and skip_rule is None:
                    skip_rule = cap.rule
                credits = credits or cap.credits_deductible
            elif plan_amount is None or amount < plan_amount:
                plan, plan_amount = cap, amount
        if plan is None and not mandated:
            return None
        plan_skips = plan is not None and plan.skips_deductible
        credits = credits or (plan is not None and plan.credits_deductible)
        return ClaimCap(plan, plan_amount, tuple(mandated), plan_skips, skip_rule, credits)

    def assistance_rule(self, drug: Drug | None) -> str | None:
        """The ban that makes manufacturer assistance count for ``drug``, if any."""
        for ban in self.assistance:
            if assistance_required(ban.condition, drug):
                return ban.rule
        return None


def plan_caps(plan: PlanVersion) -> list[EffectiveCap]:
    """The plan file's own caps, as adjudication applies them."""
    return [
        EffectiveCap(
            classes=frozenset({cap.drug_class}),
            amount=cap.amount,
            per_days=cap.per_days,
            periods_started=True,
            skips_deductible=not cap.deductible_applies,
            credits_deductible=cap.credits_deductible,
            after_deductible=False,
            label=f"{cap.drug_class} cap ${cap.amount // 100} per {cap.per_days} days"
            + (" for all prescriptions" if cap.all_prescriptions else ""),
            all_prescriptions=cap.all_prescriptions,
        )
        for cap in plan.caps
    ]


def _ceiling(in_force: InForce) -> tuple[Ceiling | None, tuple[str, ...]]:
    limit = next((m for m in in_force.out_of_pocket_limits if m.rule.citation.binding), None)
    part_d = next((m for m in in_force.part_d_standard_benefits if m.rule.citation.binding), None)
    if limit is not None:
        embedded = next(
            (m for m in in_force.embedded_self_only_limits if m.rule.citation.binding), None
        )
        figures = limit.rule
        ceiling = Ceiling(
            self_only=figures.self_only,
            person=figures.self_only if embedded is not None else None,
            family=figures.other_than_self_only,
        )
        rules = (limit.ref,) if embedded is None else (limit.ref, embedded.ref)
        return ceiling, rules
    if part_d is not None:
        threshold = part_d.rule.out_of_pocket_threshold
        return Ceiling(self_only=threshold, person=threshold), (part_d.ref,)
    return None, ()


def plan_mandates(plan: PlanVersion, in_force: InForce) -> PlanMandates:
    """Merge a plan version's caps and limits with the binding mandates in force."""
    caps = plan_caps(plan)
    for mandate in in_force.drug_cost_share_caps:
        rule = mandate.rule
        if not rule.citation.binding:
            continue
        caps.append(
            EffectiveCap(
                classes=rule.drug_classes,
                amount=rule.amount,
                per_days=rule.per_days,
                periods_started=False,
                skips_deductible=rule.deductible == "not_applied",
                credits_deductible=rule.credits_deductible,
                after_deductible=rule.deductible == "after_deductible",
                label=f"mandate {rule.id}: {format_cents(rule.amount)} per {rule.per_days} days"
                + (" for all prescriptions" if rule.basis == "all_prescriptions" else ""),
                rule=mandate.ref,
                all_prescriptions=rule.basis == "all_prescriptions",
            )
        )
    ceiling, ceiling_rules = _ceiling(in_force)
    assistance = tuple(
        AssistanceRule(m.rule.condition, m.ref)
        for m in in_force.assistance_counts
        if m.rule.citation.binding
    )
    return PlanMandates(
        plan_year=in_force.plan_year,
        caps=tuple(caps),
        ceiling=ceiling,
        ceiling_rules=ceiling_rules,
        assistance=assistance,
    )
