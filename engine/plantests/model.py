"""The plan test file: named scenarios of claims with the outcomes the plan promises.

Auditors' most common finding is a plan build that pays differently from the plan
document. A test file sits beside each plan version and states, in the plan's own
terms, what should happen: a member situation (family, accumulators met so far,
earlier claims), then claims with the expected status, reject codes, patient pay,
plan pay, amount applied to the deductible and what remains. Amounts are dollars.

```yaml
kind: plan-tests
plan: HMO-GOLD
version: "2026.1"
scenarios:
  - name: brand meets the deductible
    family: {persons: [{person_code: "001", date_of_birth: 1980-01-01, gender: F}]}
    accumulators: {"001": {deductible: 100}}
    claims:
      - {ndc: "90200200401", usual_and_customary: 300}
    expect:
      - {status: P, patient_pay: 185.00, deductible: 150.00, copay: 35.00}
```
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from engine.plans.fields import FileModel, Money, VersionId
from engine.priorauth.model import PriorAuthModel

__all__ = [
    "PHARMACY_KINDS",
    "ApprovalSpec",
    "ClaimSpec",
    "Expectation",
    "FamilySpec",
    "Met",
    "PersonSpec",
    "PlanTestFile",
    "Scenario",
]

PHARMACY_KINDS = ("retail", "mail", "specialty", "out_of_network", "unknown")


def _pharmacy(value: str) -> str:
    if value in PHARMACY_KINDS or (len(value) == 10 and value.isdigit()):
        return value
    raise ValueError(f"pharmacy is one of {', '.join(PHARMACY_KINDS)} or a 10-digit NPI")


class PersonSpec(FileModel):
    """A person of the scenario's family."""

    person_code: str = Field(default="001", pattern=r"^\d{3}$")
    relationship: Literal["1", "2", "3", "4"] = "1"
    date_of_birth: dt.date = dt.date(1980, 1, 1)
    gender: Literal["M", "F", "U"] = "F"


class FamilySpec(FileModel):
    """The family the scenario's claims are for; one subscriber unless said otherwise."""

    persons: tuple[PersonSpec, ...] = (PersonSpec(),)
    coverage_start: dt.date | None = None
    coverage_end: dt.date | None = None
    uncovered: tuple[str, ...] = ()
    """Person codes on the card but not covered by the plan (reject 65)."""


class Met(FileModel):
    """What one person had met before the scenario's claims, in dollars."""

    deductible: Money = 0
    out_of_pocket: Money = 0
    medical_deductible: Money = 0
    medical_out_of_pocket: Money = 0


class ClaimSpec(FileModel):
    """One claim of a scenario; everything a pharmacy would send, with defaults."""

    ndc: str = Field(pattern=r"^\d{11}$")
    person: str = Field(default="001", pattern=r"^\d{3}$")
    transaction: Literal["B1", "B2", "B3", "E1"] = "B1"
    date_of_service: dt.date | None = None
    quantity: str = "30"
    days_supply: int = Field(default=30, ge=0)
    pharmacy: Annotated[str, AfterValidator(_pharmacy)] = "retail"
    daw: str = "0"
    usual_and_customary: Money | None = None
    coupon: Money | None = None
    rx: int | None = None
    fill: int = 0
    refills_authorized: int | None = None
    date_written: dt.date | None = None
    date_of_birth: dt.date | None = None
    """What the pharmacy sends, when it differs from eligibility (reject 09)."""
    compound_code: str = "1"
    product_id_qualifier: str = "03"
    received: dt.date | None = None
    """The processing date (default: the date of service)."""
    omit: tuple[str, ...] = ()
    """Claim fields the pharmacy leaves out (``days_supply``, ``prescriber_id``, ...)."""
    clarification_codes: tuple[str, ...] = ()
    """Submission clarification codes (420-DK), e.g. ``["03"]`` for a vacation supply."""
    pa_number: str | None = Field(default=None, pattern=r"^\d{1,11}$")
    """A prior authorization number the pharmacy submits (sent with type code 1)."""


class ApprovalSpec(FileModel):
    """A prior authorization on file for a person of the scenario's family.

    The same fields as a prior-authorization file row (``engine.priorauth.csvfile``)
    without the cardholder id, which the scenario makes up.
    """

    number: str
    person: str = Field(default="001", pattern=r"^\d{3}$")
    ndc: str | None = None
    drug_group: str | None = None
    drug_class: str | None = None
    start: dt.date
    end: dt.date
    lifts: tuple[str, ...]
    quantity: str | None = None
    per_days: int | None = None
    max_days_supply: int | None = None
    tier: int | None = None
    approved_by: str = "plan test"
    revoked_on: dt.date | None = None
    """Revoked as of this date (claims dated after it no longer pass)."""

    def model(self, cardholder_id: str) -> PriorAuthModel:
        """The approval for the scenario's made-up family (validated like a file row)."""
        data = self.model_dump(exclude={"person", "revoked_on"}, exclude_none=True)
        return PriorAuthModel.model_validate(
            {**data, "cardholder_id": cardholder_id, "person_code": self.person}
        )

    @model_validator(mode="after")
    def _valid(self) -> ApprovalSpec:
        self.model("TEST")
        return self


class Expectation(FileModel):
    """What the plan promises for one claim; unstated fields are not checked."""

    status: Literal["P", "R", "D", "A", "S"]
    rejects: tuple[str, ...] | None = None
    patient_pay: Money | None = None
    plan_pay: Money | None = None
    deductible: Money | None = None
    copay: Money | None = None
    coinsurance: Money | None = None
    penalty: Money | None = None
    remaining_deductible: Money | None = None
    remaining_out_of_pocket: Money | None = None
    capped_by: str | None = None


class Scenario(FileModel):
    """A member situation and the claims whose outcomes are checked."""

    name: str = Field(min_length=1)
    date_of_service: dt.date | None = None
    family: FamilySpec = FamilySpec()
    accumulators: dict[str, Met] = Field(default_factory=dict)
    history: tuple[ClaimSpec, ...] = ()
    prior_authorizations: tuple[ApprovalSpec, ...] = ()
    claims: tuple[ClaimSpec, ...] = Field(min_length=1)
    expect: tuple[Expectation, ...]

    @model_validator(mode="after")
    def _paired(self) -> Scenario:
        if len(self.expect) != len(self.claims):
            raise ValueError(
                f"{len(self.claims)} claim(s) but {len(self.expect)} expectation(s): "
                "give one expectation per claim"
            )
        codes = {p.person_code for p in self.family.persons}
        for claim in (*self.history, *self.claims):
            if claim.person not in codes:
                raise ValueError(f"claim for person {claim.person}, not in the scenario's family")
        for code in self.family.uncovered:
            if code not in codes:
                raise ValueError(f"uncovered person {code} is not in the scenario's family")
        for approval in self.prior_authorizations:
            if approval.person not in codes:
                raise ValueError(f"approval for person {approval.person}, not in the family")
        for code in self.accumulators:
            if code not in codes:
                raise ValueError(f"accumulators for person {code}, not in the scenario's family")
        return self


class PlanTestFile(FileModel):
    """The test file of one plan version."""

    kind: Literal["plan-tests"]
    plan: str
    version: VersionId
    date_of_service: dt.date | None = None
    """The default date of service of every claim (the plan version's start otherwise)."""
    csv: str | None = None
    """More scenarios from a spreadsheet, relative to this file (see ``csvscenarios``)."""
    scenarios: tuple[Scenario, ...] = ()

    @model_validator(mode="after")
    def _named_once(self) -> PlanTestFile:
        names = [s.name for s in self.scenarios]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"scenario names must be unique: {', '.join(duplicates)}")
        if not self.scenarios and self.csv is None:
            raise ValueError("give scenarios, a csv file of scenarios, or both")
        return self
