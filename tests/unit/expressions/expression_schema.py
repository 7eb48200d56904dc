"""A small claim schema and matching slotted dataclasses for the expression tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from engine.expressions import (
    BOOL,
    DATE,
    DECIMAL,
    INT,
    MONEY,
    STR,
    ObjectType,
    Schema,
    list_of,
    optional,
    set_of,
)

__all__ = ["SCHEMA", "Claim", "Coverage", "Drug", "History", "Member", "Pharmacy", "Plan", "roots"]

COVERAGE = ObjectType({"start_date": DATE, "end_date": optional(DATE)}, name="coverage")

SCHEMA = Schema(
    {
        "claim": ObjectType(
            {
                "days_supply": INT,
                "quantity": DECIMAL,
                "ndc": STR,
                "pa_number": optional(STR),
                "gross_amount_due": MONEY,
                "patient_pay": optional(MONEY),
                "date_of_service": DATE,
                "clarification_codes": set_of(STR),
            },
            name="claim",
        ),
        "member": ObjectType(
            {"age": INT, "date_of_birth": DATE, "coverage": optional(COVERAGE)}, name="member"
        ),
        "plan": ObjectType(
            {
                "max_days_supply": INT,
                "excluded_ndcs": set_of(STR),
                "refill_threshold": DECIMAL,
                "mail_channels": list_of(STR),
                "max_cost": MONEY,
            },
            name="plan",
        ),
        "drug": ObjectType(
            {
                "pa_required": BOOL,
                "quantity_limit_units": optional(DECIMAL),
                "min_age": optional(INT),
                "tier": INT,
            },
            name="drug",
        ),
        "pharmacy": ObjectType({"channel": STR}, name="pharmacy"),
        "history": ObjectType(
            {"last_fill_date": optional(DATE), "last_days_supply": optional(INT)}, name="history"
        ),
    }
)


@dataclass(slots=True)
class Claim:
    days_supply: int = 30
    quantity: Decimal = Decimal(60)
    ndc: str = "00002143380"
    pa_number: str | None = None
    gross_amount_due: int = 12_500
    patient_pay: int | None = None
    date_of_service: dt.date = dt.date(2026, 3, 1)
    clarification_codes: frozenset[str] = frozenset()


@dataclass(slots=True)
class Coverage:
    start_date: dt.date = dt.date(2026, 1, 1)
    end_date: dt.date | None = None


@dataclass(slots=True)
class Member:
    age: int = 40
    date_of_birth: dt.date = dt.date(1986, 3, 2)
    coverage: Coverage | None = None


@dataclass(slots=True)
class Plan:
    max_days_supply: int = 34
    excluded_ndcs: frozenset[str] = frozenset({"00002143380"})
    refill_threshold: Decimal = Decimal("0.75")
    mail_channels: list[str] = field(default_factory=lambda: ["mail", "specialty"])
    max_cost: int = 100_000


@dataclass(slots=True)
class Drug:
    pa_required: bool = False
    quantity_limit_units: Decimal | None = None
    min_age: int | None = None
    tier: int = 1


@dataclass(slots=True)
class Pharmacy:
    channel: str = "retail"


@dataclass(slots=True)
class History:
    last_fill_date: dt.date | None = None
    last_days_supply: int | None = None


def roots(
    claim: Claim | None = None,
    member: Member | None = None,
    plan: Plan | None = None,
    drug: Drug | None = None,
    pharmacy: Pharmacy | None = None,
    history: History | None = None,
) -> tuple[object, ...]:
    """The six roots in schema order, defaults where not given."""
    return (
        claim or Claim(),
        member or Member(),
        plan or Plan(),
        drug or Drug(),
        pharmacy or Pharmacy(),
        history or History(),
    )
