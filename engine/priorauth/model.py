"""A prior authorization: which member, which drug, when, and what the approval lifts.

A prescriber's request approved by the plan becomes a record on file. It names the
member (cardholder id and person code), the drug (one NDC, or every NDC of a
formulary drug group or class), the dates it is in force, and what it lifts: the
prior-authorization requirement itself, the quantity limit (replaced by the
approved quantity per days), the days-supply limit (replaced by the approved
maximum), age or gender limits, step therapy, or the tier (a tier exception pays
at the approved tier's cost share). A revoked approval stops working for claims
dated after the revocation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Literal, Self

from pydantic import Field, field_validator, model_validator

from engine.plans.fields import FileModel

__all__ = [
    "Lift",
    "PriorAuthFile",
    "PriorAuthModel",
    "PriorAuthorization",
    "prior_auth_from_model",
]


class Lift(StrEnum):
    """What an approval lifts."""

    PRIOR_AUTHORIZATION = "prior-authorization"
    QUANTITY_LIMIT = "quantity-limit"
    DAYS_SUPPLY_LIMIT = "days-supply-limit"
    AGE_LIMIT = "age-limit"
    GENDER_LIMIT = "gender-limit"
    STEP_THERAPY = "step-therapy"
    TIER_EXCEPTION = "tier-exception"


class PriorAuthModel(FileModel):
    """A prior authorization as a file or an API call gives it."""

    number: str = Field(pattern=r"^\d{1,11}$")
    """The PA number (NCPDP 462-EV / 498-PY are 11 digits)."""
    cardholder_id: str = Field(min_length=1, max_length=20)
    person_code: str = Field(pattern=r"^\d{3}$")
    ndc: str | None = Field(default=None, pattern=r"^\d{11}$")
    drug_group: str | None = Field(default=None, min_length=1)
    drug_class: str | None = Field(default=None, min_length=1)
    start: dt.date
    end: dt.date
    lifts: frozenset[Lift] = Field(min_length=1)
    quantity: Decimal | None = Field(default=None, gt=0)
    per_days: int | None = Field(default=None, gt=0)
    max_days_supply: int | None = Field(default=None, gt=0, le=365)
    tier: int | None = Field(default=None, ge=1, le=9)
    approved_by: str = Field(min_length=1, max_length=100)

    @field_validator("number")
    @classmethod
    def _canonical(cls, value: str) -> str:
        # numeric on the wire: 00012345678 and 12345678 are the same authorization
        return value.lstrip("0") or "0"

    @field_validator("lifts", mode="before")
    @classmethod
    def _words(cls, value: object) -> object:
        return value.split() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        drugs = [v for v in (self.ndc, self.drug_group, self.drug_class) if v is not None]
        if len(drugs) != 1:
            raise ValueError("name the drug once: an ndc, a drug_group or a drug_class")
        if self.end < self.start:
            raise ValueError(f"the approval ends ({self.end}) before it starts ({self.start})")
        quantity = Lift.QUANTITY_LIMIT in self.lifts
        if quantity != (self.quantity is not None and self.per_days is not None):
            raise ValueError(
                "a quantity-limit approval gives the approved quantity and per_days, "
                "and only such an approval does"
            )
        if (Lift.DAYS_SUPPLY_LIMIT in self.lifts) != (self.max_days_supply is not None):
            raise ValueError(
                "a days-supply-limit approval gives max_days_supply, and only such one does"
            )
        if (Lift.TIER_EXCEPTION in self.lifts) != (self.tier is not None):
            raise ValueError("a tier-exception approval gives the tier, and only such one does")
        return self


class PriorAuthFile(FileModel):
    """A YAML file naming a CSV table of approvals (see ``engine.priorauth.csvfile``)."""

    kind: Literal["prior-authorizations"]
    prior_authorizations: str
    table: str


@dataclass(frozen=True, slots=True)
class PriorAuthorization:
    """An approval on file, as adjudication reads it."""

    number: str
    cardholder_id: str
    person_code: str
    ndc: str | None
    drug_group: str | None
    drug_class: str | None
    start: dt.date
    end: dt.date
    lifts: frozenset[Lift]
    quantity: Decimal | None
    per_days: int | None
    max_days_supply: int | None
    tier: int | None
    approved_by: str
    revoked_on: dt.date | None = None
    revoked_by: str | None = None
    revoke_reason: str | None = None

    def in_force(self, day: dt.date) -> bool:
        """Within its dates and not revoked before ``day`` (the revocation day still counts)."""
        if not self.start <= day <= self.end:
            return False
        return self.revoked_on is None or day <= self.revoked_on

    def covers_drug(self, ndc: str, group: str | None, classes: frozenset[str]) -> bool:
        """Whether the approval names this NDC, its drug group or one of its classes."""
        if self.ndc is not None:
            return self.ndc == ndc
        if self.drug_group is not None:
            return self.drug_group == group
        return self.drug_class in classes

    @property
    def drug(self) -> str:
        """The drug as the approval names it, for traces and listings."""
        if self.ndc is not None:
            return f"NDC {self.ndc}"
        if self.drug_group is not None:
            return f"group {self.drug_group}"
        return f"class {self.drug_class}"

    @property
    def specificity(self) -> int:
        """NDC beats drug group beats class when several approvals match."""
        return 3 if self.ndc else 2 if self.drug_group else 1


def prior_auth_from_model(model: PriorAuthModel) -> PriorAuthorization:
    """The engine's frozen form of a validated record."""
    return PriorAuthorization(
        number=model.number,
        cardholder_id=model.cardholder_id,
        person_code=model.person_code,
        ndc=model.ndc,
        drug_group=model.drug_group,
        drug_class=model.drug_class,
        start=model.start,
        end=model.end,
        lifts=model.lifts,
        quantity=model.quantity,
        per_days=model.per_days,
        max_days_supply=model.max_days_supply,
        tier=model.tier,
        approved_by=model.approved_by,
    )
