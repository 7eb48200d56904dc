"""Mandate rule files: federal and state out-of-pocket rules, each figure with its citation.

A rule file (``kind: mandates``) is one version of one rule set: the ACA limits, the
IRS HDHP limits, the Part D standard benefit, or one topic of state law. Every rule
carries a citation: the law, the sources it was read from, and the confidence label
the project's reference gave it, because a compliance officer must be able to say
where every limit came from and how sure we are of it.

Rules of one kind sit in their own list (``out_of_pocket_limits:``,
``drug_cost_share_caps:`` ...) rather than in one list tagged by type: each entry then
has one schema, and a mistake in it is reported at its own line.

``plan_years`` is the range of plan-year *start* dates a rule governs: the ACA limits
apply to "plan years beginning in" a year, and state laws to plans "issued or renewed
on or after" a date; both are fixed by the day a plan year begins.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import Field, model_validator

from engine.compliance.citation import Citation, Source
from engine.plans.fields import Effective, FileModel, Money, Percent, VersionId
from engine.plans.plan import Funding, Market, PlanType, PlanVersion
from engine.sourcefile import LocatedError

__all__ = [
    "ALL_DRUGS",
    "ANNUAL_SECTIONS",
    "RULE_SECTIONS",
    "AppliesTo",
    "AssistanceCounts",
    "DrugCostShareCap",
    "EmbeddedSelfOnlyLimit",
    "HdhpEmbeddedDeductible",
    "HdhpLimits",
    "MandateFile",
    "MandateRule",
    "OutOfPocketLimit",
    "PartDStandardBenefit",
    "PointOfSaleLimit",
    "RuleBase",
    "SelfAndFamily",
]

ALL_DRUGS = "*"
"""A ``drug_classes`` entry meaning every covered drug (California's all-drug cap)."""


class RuleBase(FileModel):
    """What every mandate rule has: an id, a title, a state if any, plan years, a citation."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=1)
    state: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    plan_years: Effective
    citation: Citation


class OutOfPocketLimit(RuleBase):
    """The ACA annual limitation on cost sharing for plan years beginning in a range."""

    self_only: Money
    other_than_self_only: Money

    @model_validator(mode="after")
    def _doubled(self) -> OutOfPocketLimit:
        # 45 CFR 156.130: other than self-only is twice self-only; a typo shows here
        if self.other_than_self_only != 2 * self.self_only:
            raise LocatedError(
                ("other_than_self_only",), "other_than_self_only must be twice self_only"
            )
        return self


class EmbeddedSelfOnlyLimit(RuleBase):
    """No individual in other-than-self-only coverage may pay more than the self-only limit.

    It has no figure of its own: the figure is the self-only limit of the same year.
    """


class SelfAndFamily(FileModel):
    """One amount for self-only coverage and one for family coverage."""

    self_only: Money
    family: Money


class HdhpLimits(RuleBase):
    """IRS minimum deductible and maximum out-of-pocket of an HSA-qualified HDHP.

    The IRS publishes them per calendar year; with ``calendar_year: true`` a plan year
    that does not start on 1 January is checked against the figures of the year it
    starts in, and the check says that this mapping is not verified.
    """

    minimum_deductible: SelfAndFamily
    maximum_out_of_pocket: SelfAndFamily
    calendar_year: bool = True


class HdhpEmbeddedDeductible(RuleBase):
    """A family HDHP's embedded individual deductible must be at least the family minimum."""


class PartDStandardBenefit(RuleBase):
    """The Medicare Part D defined standard benefit parameters of one year."""

    deductible: Money
    initial_coinsurance: Percent
    initial_coverage_limit: Money | None = None
    out_of_pocket_threshold: Money
    catastrophic_cost_sharing: Money


DeductibleTreatment = Literal["not_applied", "counted_in_cap", "after_deductible"]


class DrugCostShareCap(RuleBase):
    """A ceiling on what a member pays for a class of drugs per supply period.

    ``amount`` is per ``per_days`` of supply; a fill of d days may cost at most
    ``amount x max(1, d // per_days)``: exactly twice and three times the amount for
    60 and 90 days, and, between whole periods, no more than the whole periods
    dispensed (the one reading of "per 30-day supply" no statute can be read to forbid).

    ``deductible``: ``not_applied`` — the drug skips the deductible (Washington,
    Kentucky, Part D); ``counted_in_cap`` — the cap bounds everything the member pays,
    deductible included (Delaware); ``after_deductible`` — the cap bounds copay and
    coinsurance once the deductible is met (Louisiana, California).
    ``credits_deductible``: what the member pays still counts toward the deductible.
    ``basis``: ``per_prescription``, or ``all_prescriptions`` when the cap is on the
    member's whole supply for the period whatever the number of prescriptions (Colorado).
    """

    drug_classes: frozenset[str] = Field(min_length=1)
    amount: Money
    per_days: int = Field(default=30, gt=0)
    basis: Literal["per_prescription", "all_prescriptions"]
    deductible: DeductibleTreatment
    credits_deductible: bool = False

    @model_validator(mode="after")
    def _coherent(self) -> DrugCostShareCap:
        if self.credits_deductible and self.deductible != "not_applied":
            raise LocatedError(
                ("credits_deductible",), "credits_deductible is for drugs that skip the deductible"
            )
        return self

    def covers(self, classes: frozenset[str]) -> bool:
        """Whether a drug with these classes falls under the cap."""
        return ALL_DRUGS in self.drug_classes or bool(classes & self.drug_classes)


class PointOfSaleLimit(RuleBase):
    """The member pays no more than the lesser of the listed amounts (Delaware, Maryland)."""

    lesser_of: frozenset[Literal["plan_cost_share", "usual_and_customary", "contract_price"]] = (
        Field(min_length=2)
    )


class AssistanceCounts(RuleBase):
    """A copay-accumulator ban: manufacturer assistance counts toward deductible and MOOP.

    ``no_generic_or_exception``: only for drugs without a generic equivalent, or
    obtained through prior authorization, step therapy or an exception.
    """

    condition: Literal["always", "no_generic_or_exception"]


MandateRule = (
    OutOfPocketLimit
    | EmbeddedSelfOnlyLimit
    | HdhpLimits
    | HdhpEmbeddedDeductible
    | PartDStandardBenefit
    | DrugCostShareCap
    | PointOfSaleLimit
    | AssistanceCounts
)

RULE_SECTIONS = (
    "out_of_pocket_limits",
    "embedded_self_only_limits",
    "hdhp_limits",
    "hdhp_embedded_deductibles",
    "part_d_standard_benefits",
    "drug_cost_share_caps",
    "point_of_sale_limits",
    "assistance_counts",
)
"""The rule lists of a mandates file, in the order checks report them."""

ANNUAL_SECTIONS = ("out_of_pocket_limits", "hdhp_limits", "part_d_standard_benefits")
"""Lists with one figure per plan year: a plan year none of them covers is a gap."""


class AppliesTo(FileModel):
    """The plans a rule set reaches: by plan type, market and funding."""

    plan_types: frozenset[PlanType] = Field(min_length=1)
    markets: frozenset[Market] = Field(min_length=1)
    funding: frozenset[Funding] = Field(min_length=1)

    def covers(self, plan: PlanVersion) -> bool:
        """Whether the rule set reaches this plan (state is checked per rule)."""
        return (
            plan.type in self.plan_types
            and plan.market in self.markets
            and plan.funding in self.funding
        )


class MandateFile(FileModel):
    """One version of one mandate rule set."""

    kind: Literal["mandates"]
    mandates: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    version: VersionId
    effective: Effective
    """The plan-year start dates this version of the rule set governs."""
    title: str = Field(min_length=1)
    jurisdiction: Literal["federal", "state"]
    applies_to: AppliesTo
    sources: tuple[Source, ...] = ()
    """The file's bibliography: sources several rules cite, by YAML anchor."""
    out_of_pocket_limits: tuple[OutOfPocketLimit, ...] = ()
    embedded_self_only_limits: tuple[EmbeddedSelfOnlyLimit, ...] = ()
    hdhp_limits: tuple[HdhpLimits, ...] = ()
    hdhp_embedded_deductibles: tuple[HdhpEmbeddedDeductible, ...] = ()
    part_d_standard_benefits: tuple[PartDStandardBenefit, ...] = ()
    drug_cost_share_caps: tuple[DrugCostShareCap, ...] = ()
    point_of_sale_limits: tuple[PointOfSaleLimit, ...] = ()
    assistance_counts: tuple[AssistanceCounts, ...] = ()

    def rules(self) -> Iterator[tuple[str, int, MandateRule]]:
        """Every rule with its list name and index (its address in the file)."""
        for section in RULE_SECTIONS:
            for index, rule in enumerate(getattr(self, section)):
                yield section, index, rule

    @model_validator(mode="after")
    def _coherent(self) -> MandateFile:
        rules = list(self.rules())
        if not rules:
            raise ValueError("a mandates file needs at least one rule")
        seen: set[str] = set()
        for section, index, rule in rules:
            where = (section, index)
            if rule.id in seen:
                raise LocatedError((*where, "id"), f"rule id {rule.id} appears twice")
            seen.add(rule.id)
            if (self.jurisdiction == "state") != (rule.state is not None):
                wanted = "names its state" if rule.state is None else "has no state"
                raise LocatedError(where, f"a {self.jurisdiction} rule {wanted}")
            if not _within(rule.plan_years, self.effective):
                raise LocatedError(
                    (*where, "plan_years"), "plan_years fall outside the file's effective range"
                )
        for section in ANNUAL_SECTIONS:
            _no_two_figures_for_one_year(section, getattr(self, section))
        return self


def _within(inner: Effective, outer: Effective) -> bool:
    if inner.from_ < outer.from_:
        return False
    if outer.to is None:
        return True
    return inner.to is not None and inner.to <= outer.to


def _no_two_figures_for_one_year(section: str, rules: tuple[RuleBase, ...]) -> None:
    """Two annual figures for one plan year would make the check depend on file order."""
    for index, rule in enumerate(rules):
        for other in rules[:index]:
            if rule.state == other.state and rule.plan_years.overlaps(other.plan_years):
                raise LocatedError(
                    (section, index, "plan_years"),
                    f"plan_years overlap those of {other.id}",
                )
