"""The plan benefit design file: what a plan covers and what the member pays.

One file is one version of one plan. Versions of a plan coexist; a claim is
adjudicated under the version effective on its date of service. Every amount is
validated here, at load time, so that adjudication never meets a malformed plan.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Literal

from pydantic import Field, field_validator, model_validator

from engine.edits.model import EditOverride, EditRule
from engine.plans.fields import Effective, FileModel, Money, MonthDay, Percent, VersionId
from engine.sourcefile import LocatedError

__all__ = [
    "Cap",
    "Channel",
    "ClarificationOverride",
    "CoordinationOfBenefits",
    "CostShare",
    "DawPenalty",
    "Deductible",
    "EditSetRef",
    "Funding",
    "Market",
    "NetworkRules",
    "OutOfPocket",
    "PlanType",
    "PlanVersion",
    "Routing",
]


class PlanType(StrEnum):
    """The benefit design family; it decides how out-of-network pharmacies are treated."""

    HMO = "HMO"
    PPO = "PPO"
    EPO = "EPO"
    HDHP = "HDHP"
    MEDICARE_PART_D = "MEDICARE_PART_D"


class Funding(StrEnum):
    """State mandates reach fully insured plans only; self-funded ERISA plans are exempt."""

    FULLY_INSURED = "fully_insured"
    SELF_FUNDED = "self_funded"


class Market(StrEnum):
    """The market segment, which decides which mandates apply."""

    INDIVIDUAL = "individual"
    SMALL_GROUP = "small_group"
    LARGE_GROUP = "large_group"
    MEDICARE = "medicare"


class Channel(StrEnum):
    """How a prescription is dispensed; cost share and supply limits differ by channel."""

    RETAIL_30 = "retail_30"
    RETAIL_90 = "retail_90"
    MAIL = "mail"
    SPECIALTY = "specialty"


class Routing(FileModel):
    """The BIN, PCN and group ids on the member's card that route a claim to this plan."""

    bin: str
    pcn: str
    groups: tuple[str, ...] = Field(min_length=1)

    @field_validator("bin")
    @classmethod
    def _six_digits(cls, value: str) -> str:
        if not re.fullmatch(r"\d{6}", value):
            raise ValueError(f"a BIN is six digits: got {value!r}")
        return value


class _Limit(FileModel):
    """An individual and family amount; embedded or aggregate; pharmacy-only or integrated."""

    individual: Money | None = None
    family: Money | None = None
    embedded: bool = True
    integrated_with_medical: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> _Limit:
        if self.individual is None and self.family is None:
            raise ValueError("give an individual amount, a family amount or both")
        if (
            self.individual is not None
            and self.family is not None
            and self.individual > self.family
        ):
            raise ValueError("the individual amount exceeds the family amount")
        if not self.embedded and self.family is None:
            raise ValueError("an aggregate (non-embedded) limit needs a family amount")
        return self


class Deductible(_Limit):
    """The deductible, and the drugs that skip it (for example generics or insulin)."""

    exempt_tiers: frozenset[int] = frozenset()
    exempt_classes: frozenset[str] = frozenset()


class OutOfPocket(_Limit):
    """The out-of-pocket maximum (MOOP); Part D's annual out-of-pocket threshold."""


class CostShare(FileModel):
    """What the member pays for one tier in one channel, before deductible and caps.

    ``copay`` alone, ``coinsurance`` alone (optionally bounded by ``minimum`` and
    ``maximum``), or both with ``combine`` saying whether the lesser or the greater
    of the two applies.
    """

    copay: Money | None = None
    coinsurance: Percent | None = None
    minimum: Money | None = None
    maximum: Money | None = None
    combine: Literal["lesser", "greater"] | None = None

    @model_validator(mode="after")
    def _complete(self) -> CostShare:
        if self.copay is None and self.coinsurance is None:
            raise ValueError("give a copay, a coinsurance or both")
        if self.copay is not None and self.coinsurance is not None and self.combine is None:
            raise ValueError("with both copay and coinsurance, say combine: lesser or greater")
        if (self.copay is None or self.coinsurance is None) and self.combine is not None:
            raise ValueError("combine needs both a copay and a coinsurance")
        if (self.minimum is not None or self.maximum is not None) and self.coinsurance is None:
            raise ValueError("minimum and maximum bound a coinsurance; there is none")
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise ValueError("the coinsurance minimum exceeds the maximum")
        return self


class Cap(FileModel):
    """A ceiling on what the member pays for a drug class, per supply period.

    ``amount`` applies per ``per_days`` of supply, counted in whole periods
    (a 90-day insulin fill under a $35 per 30 days cap may cost at most $105).
    ``deductible_applies`` says whether the drug goes through the deductible first
    (the cap then includes deductible payments, as Delaware's does);
    ``credits_deductible`` says whether what the member pays for a drug that skips
    the deductible still counts toward it (as Washington's insulin law requires).
    ``all_prescriptions`` makes the amount a ceiling on everything the member pays for
    the class in ``per_days`` days, whatever the number of prescriptions (Colorado's
    insulin law), instead of a ceiling on each fill.
    """

    drug_class: str
    amount: Money
    per_days: int = Field(default=30, gt=0)
    deductible_applies: bool = False
    credits_deductible: bool = False
    all_prescriptions: bool = False
    source: str | None = None

    @model_validator(mode="after")
    def _coherent(self) -> Cap:
        if self.deductible_applies and self.credits_deductible:
            raise ValueError("credits_deductible is for drugs that skip the deductible")
        return self


class DawPenalty(FileModel):
    """The brand penalty when a brand is dispensed at the member's request.

    The member pays the cost share of the generic plus the price difference between
    brand and generic, for the DAW codes listed (2 = patient requested the brand).
    """

    daw_codes: frozenset[str] = frozenset({"2"})
    counts_toward_out_of_pocket: bool = False


class NetworkRules(FileModel):
    """Network and supply rules: out-of-network coverage, channel limits, refill timing."""

    out_of_network: Literal["reject", "cover"]
    retail_30_max_days: int = Field(default=34, gt=0)
    max_days_supply: dict[Channel, int] = Field(default_factory=dict)
    refill_too_soon: Percent
    """Share of the previous fill's days supply that must pass before the next fill."""

    @field_validator("max_days_supply")
    @classmethod
    def _positive(cls, value: dict[Channel, int]) -> dict[Channel, int]:
        for channel, days in value.items():
            if days <= 0:
                raise ValueError(f"max days supply for {channel} must be positive")
        return value


class CoordinationOfBenefits(FileModel):
    """How the plan pays when it is a secondary or tertiary payer.

    ``method`` is one of the methods of ``engine.cob.methods``: ``standard`` (up to
    the normal benefit, the payers together at most the allowed amount),
    ``non_duplication``, ``carve_out`` or ``maintenance_of_benefits``.
    """

    method: Literal["standard", "non_duplication", "carve_out", "maintenance_of_benefits"] = (
        "standard"
    )


class EditSetRef(FileModel):
    """Which edit set (by name and version) the plan uses, and its plan-specific changes."""

    name: str
    version: VersionId
    disable: frozenset[str] = frozenset()
    override: dict[str, EditOverride] = Field(default_factory=dict)
    add: tuple[EditRule, ...] = ()


class ClarificationOverride(FileModel):
    """Submission clarification codes (420-DK) that lift edits, and how often.

    A pharmacist who sends code 03 (vacation supply) or 04 (lost or stolen
    medication) asks the plan to pay a refill before it is due; the plan says which
    codes lift which of its edit rules and how many times a member may use them in
    a period of days counted back from the date of service.
    """

    codes: frozenset[str] = Field(min_length=1)
    lifts: frozenset[str] = Field(min_length=1)
    """Ids of the edit rules the codes lift."""
    limit: int | None = Field(default=None, gt=0)
    """How many claims may use the override per ``per_days`` (none: no limit)."""
    per_days: int | None = Field(default=None, gt=0)
    description: str | None = None

    @field_validator("codes")
    @classmethod
    def _two_digits(cls, value: frozenset[str]) -> frozenset[str]:
        for code in value:
            if not (len(code) == 2 and code.isdigit()):
                raise ValueError(f"clarification codes are two digits (420-DK): got {code!r}")
        return value

    @model_validator(mode="after")
    def _period(self) -> ClarificationOverride:
        if (self.limit is None) != (self.per_days is None):
            raise ValueError("give both limit and per_days, or neither")
        return self


class PlanVersion(FileModel):
    """One version of one plan's benefit design."""

    kind: Literal["plan"]
    plan: str
    version: VersionId
    effective: Effective
    name: str
    type: PlanType
    routing: Routing
    funding: Funding
    situs_state: str = Field(pattern=r"^[A-Z]{2}$")
    market: Market
    plan_year_start: MonthDay = (1, 1)
    formulary: str
    network: str
    prices: str
    edits: EditSetRef
    non_formulary_tier: int | None = None
    dependent_max_age: int | None = None
    timely_filing_days: int = Field(default=365, gt=0)
    deductible: Deductible | None = None
    out_of_pocket: OutOfPocket
    cost_share: dict[int, dict[Channel, CostShare]]
    out_of_network_cost_share: dict[int, dict[Channel, CostShare]] = Field(default_factory=dict)
    caps: tuple[Cap, ...] = ()
    daw_penalty: DawPenalty | None = None
    manufacturer_assistance_counts: bool = True
    network_rules: NetworkRules
    cob: CoordinationOfBenefits = CoordinationOfBenefits()
    clarification_overrides: tuple[ClarificationOverride, ...] = ()

    @model_validator(mode="after")
    def _coherent(self) -> PlanVersion:
        if not self.cost_share:
            raise LocatedError(("cost_share",), "cost_share must define at least one tier")
        oon = self.network_rules.out_of_network
        if self.type in (PlanType.HMO, PlanType.EPO) and oon != "reject":
            raise LocatedError(
                ("network_rules", "out_of_network"),
                f"an {self.type} plan does not cover out-of-network pharmacies",
            )
        if oon == "cover" and not self.out_of_network_cost_share:
            raise LocatedError(
                ("network_rules", "out_of_network"),
                "out_of_network: cover needs out_of_network_cost_share",
            )
        if self.non_formulary_tier is not None and self.non_formulary_tier not in self.cost_share:
            raise LocatedError(
                ("non_formulary_tier",),
                f"non_formulary_tier {self.non_formulary_tier} has no cost share",
            )
        if (
            self.deductible is not None
            and self.deductible.individual is not None
            and self.out_of_pocket.individual is not None
            and self.deductible.individual > self.out_of_pocket.individual
        ):
            raise LocatedError(
                ("deductible", "individual"),
                "the individual deductible exceeds the individual out-of-pocket maximum",
            )
        return self

    def plan_year_start_for(self, day: dt.date) -> dt.date:
        """The first day of the plan year that contains ``day`` (plan years need not be Jan 1)."""
        month, mday = self.plan_year_start
        start = dt.date(day.year, month, mday)
        return start if start <= day else dt.date(day.year - 1, month, mday)
