"""The loaded mandate rule sets, and which of their rules govern one plan version.

A plan version is judged by the rules in force for the plan year it starts in: the
version of each rule set that covers that plan-year start, if the set reaches the
plan (type, market, funding), and within it the rules for that plan year and for the
plan's situs state. A federal rule set that reaches a plan but has no figure for its
plan year is a *gap*: nothing then proves the plan compliant, and the checker says so
rather than passing it by silence.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from engine.compliance.model import (
    ANNUAL_SECTIONS,
    RULE_SECTIONS,
    AssistanceCounts,
    DrugCostShareCap,
    EmbeddedSelfOnlyLimit,
    HdhpEmbeddedDeductible,
    HdhpLimits,
    MandateFile,
    OutOfPocketLimit,
    PartDStandardBenefit,
    PointOfSaleLimit,
    RuleBase,
)
from engine.plans.plan import PlanVersion

__all__ = ["Gap", "InForce", "Mandate", "MandateLibrary", "RuleSet", "plan_year_of"]

R_co = TypeVar("R_co", bound=RuleBase, covariant=True)


@dataclass(frozen=True, slots=True)
class RuleSet:
    """One loaded version of one rule set, and the file it came from."""

    file: MandateFile
    path: str

    @property
    def id(self) -> str:
        """``name@version``, as reports and decisions name it."""
        return f"{self.file.mandates}@{self.file.version}"


@dataclass(frozen=True, slots=True)
class Mandate(Generic[R_co]):
    """One rule with the rule-set version it was read from."""

    rule: R_co
    rule_set: RuleSet

    @property
    def ref(self) -> str:
        """``name@version#rule-id``: the name a check or a trace line gives the rule."""
        return f"{self.rule_set.id}#{self.rule.id}"


@dataclass(frozen=True, slots=True)
class Gap:
    """A federal rule set that reaches the plan but has no figure for its plan year."""

    rule_set: str
    section: str
    message: str


@dataclass(frozen=True, slots=True)
class InForce:
    """The rules that govern one plan version, by kind, with the rule-set versions used."""

    plan_year: dt.date
    rule_sets: tuple[RuleSet, ...] = ()
    federal_sets: tuple[str, ...] = ()
    """Names of the federal rule sets that reach the plan (in any version)."""
    gaps: tuple[Gap, ...] = ()
    out_of_pocket_limits: tuple[Mandate[OutOfPocketLimit], ...] = ()
    embedded_self_only_limits: tuple[Mandate[EmbeddedSelfOnlyLimit], ...] = ()
    hdhp_limits: tuple[Mandate[HdhpLimits], ...] = ()
    hdhp_embedded_deductibles: tuple[Mandate[HdhpEmbeddedDeductible], ...] = ()
    part_d_standard_benefits: tuple[Mandate[PartDStandardBenefit], ...] = ()
    drug_cost_share_caps: tuple[Mandate[DrugCostShareCap], ...] = ()
    point_of_sale_limits: tuple[Mandate[PointOfSaleLimit], ...] = ()
    assistance_counts: tuple[Mandate[AssistanceCounts], ...] = ()


def plan_year_of(plan: PlanVersion) -> dt.date:
    """The first day of the plan year in which the plan version takes effect."""
    return plan.plan_year_start_for(plan.effective.from_)


@dataclass(frozen=True, slots=True)
class MandateLibrary:
    """Every loaded rule-set version; immutable, like the catalog that holds it."""

    rule_sets: tuple[RuleSet, ...] = ()
    _by_name: dict[str, tuple[RuleSet, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        groups: dict[str, list[RuleSet]] = defaultdict(list)
        for rule_set in self.rule_sets:
            groups[rule_set.file.mandates].append(rule_set)
        by_name = {
            name: tuple(sorted(sets, key=lambda s: s.file.effective.from_))
            for name, sets in sorted(groups.items())
        }
        object.__setattr__(self, "_by_name", by_name)

    @property
    def ids(self) -> tuple[str, ...]:
        """Every loaded rule-set version, ``name@version``, sorted."""
        return tuple(sorted(rule_set.id for rule_set in self.rule_sets))

    def in_force(self, plan: PlanVersion) -> InForce:
        """The rules that govern ``plan`` for the plan year it starts in."""
        year = plan_year_of(plan)
        found: dict[str, list[Mandate[RuleBase]]] = defaultdict(list)
        used: list[RuleSet] = []
        gaps: list[Gap] = []
        federal: list[str] = []
        for name, versions in self._by_name.items():
            reaching = [v for v in versions if v.file.applies_to.covers(plan)]
            if not reaching:
                continue
            is_federal = reaching[0].file.jurisdiction == "federal"
            if is_federal:
                federal.append(name)
            current = next((v for v in reaching if v.file.effective.covers(year)), None)
            if current is None:
                if is_federal:
                    gaps.append(Gap(name, "", f"{name} has no version for plan year {year}"))
                continue
            matched = False
            for section in RULE_SECTIONS:
                rules = getattr(current.file, section)
                hits = [
                    rule
                    for rule in rules
                    if rule.state in (None, plan.situs_state) and rule.plan_years.covers(year)
                ]
                found[section].extend(Mandate(rule, current) for rule in hits)
                matched = matched or bool(hits)
                if is_federal and rules and not hits and _expected(section, rules, year):
                    gaps.append(
                        Gap(current.id, section, f"{current.id} has no {section} for {year}")
                    )
            if matched:
                used.append(current)
        return InForce(
            plan_year=year,
            rule_sets=tuple(used),
            federal_sets=tuple(federal),
            gaps=tuple(gaps),
            **{section: tuple(found[section]) for section in RULE_SECTIONS},  # type: ignore[arg-type]
        )


def _expected(section: str, rules: tuple[RuleBase, ...], year: dt.date) -> bool:
    """Whether a plan year without a rule of this kind is a gap.

    Annual figures must exist for every plan year; a standing rule (the embedded
    self-only limit, from 2016) only from the year its first version starts.
    """
    if section in ANNUAL_SECTIONS:
        return True
    return year >= min(rule.plan_years.from_ for rule in rules)
