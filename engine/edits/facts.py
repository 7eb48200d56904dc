"""The facts edit conditions read, and the typed schema they are checked against.

Each root (claim, member, plan, drug, pharmacy, benefit, history) is a slotted
dataclass filled once per claim; its schema entry lists every attribute an analyst
may name, with its type, so a misspelt or mistyped condition fails when the file
loads instead of at the counter. The request phase sees only ``claim``; the
eligibility phase adds ``member`` and ``plan``; the benefit phase sees all roots.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
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
    optional,
    set_of,
)

__all__ = [
    "ROOTS",
    "SCHEMAS",
    "BenefitFacts",
    "ClaimFacts",
    "DrugFacts",
    "HistoryFacts",
    "MemberFacts",
    "PharmacyFacts",
    "PlanFacts",
]


@dataclass(slots=True)
class ClaimFacts:
    """The claim as conditions see it; fields a claim must carry are never None here."""

    transaction_code: str
    date_of_service: dt.date
    received_date: dt.date
    ndc: str
    product_id_qualifier: str
    quantity: Decimal
    days_supply: int
    rx_number: int
    fill_number: int
    daw: str
    compound_code: str
    date_of_birth: dt.date | None
    gender_code: str
    date_written: dt.date | None
    refills_authorized: int | None
    submission_clarification_codes: frozenset[str]
    other_coverage_code: str
    pa_number: str
    prescriber_id: str
    usual_and_customary: int | None
    gross_amount_due: int | None
    ingredient_cost_submitted: int | None


@dataclass(slots=True)
class MemberFacts:
    """The patient as eligibility knows them, on the date of service."""

    person_code: str
    relationship: str
    age: int
    gender: str
    date_of_birth: dt.date
    covered: bool
    coverage_start: dt.date | None
    coverage_end: dt.date | None
    self_only: bool


@dataclass(slots=True)
class PlanFacts:
    """Plan settings conditions may compare against."""

    id: str
    type: str
    covers_out_of_network: bool
    open_formulary: bool
    dependent_max_age: int | None
    timely_filing_days: int


@dataclass(slots=True)
class DrugFacts:
    """The dispensed product as the formulary and price list describe it."""

    ndc: str
    known: bool
    on_formulary: bool
    name: str
    tier: int
    brand: bool
    classes: frozenset[str]
    excluded: bool
    pa_required: bool
    ql_units: Decimal | None
    ql_days: int | None
    min_age: int | None
    max_age: int | None
    gender: str | None
    step_therapy: str | None


@dataclass(slots=True)
class PharmacyFacts:
    """The dispensing pharmacy as the network knows it."""

    npi: str
    known: bool
    in_network: bool
    channel: str


@dataclass(slots=True)
class BenefitFacts:
    """The benefit this claim falls under: channel, tier and the limits that go with them."""

    channel: str
    tier: int
    cost_share_defined: bool
    max_days_supply: int | None


@dataclass(slots=True)
class HistoryFacts:
    """What the member's earlier fills say about this one."""

    last_fill_date: dt.date | None
    last_days_supply: int | None
    next_fill_date: dt.date | None
    step_therapy_met: bool


_CLAIM = ObjectType(
    {
        "transaction_code": STR,
        "date_of_service": DATE,
        "received_date": DATE,
        "ndc": STR,
        "product_id_qualifier": STR,
        "quantity": DECIMAL,
        "days_supply": INT,
        "rx_number": INT,
        "fill_number": INT,
        "daw": STR,
        "compound_code": STR,
        "date_of_birth": optional(DATE),
        "gender_code": STR,
        "date_written": optional(DATE),
        "refills_authorized": optional(INT),
        "submission_clarification_codes": set_of(STR),
        "other_coverage_code": STR,
        "pa_number": STR,
        "prescriber_id": STR,
        "usual_and_customary": optional(MONEY),
        "gross_amount_due": optional(MONEY),
        "ingredient_cost_submitted": optional(MONEY),
    }
)
_MEMBER = ObjectType(
    {
        "person_code": STR,
        "relationship": STR,
        "age": INT,
        "gender": STR,
        "date_of_birth": DATE,
        "covered": BOOL,
        "coverage_start": optional(DATE),
        "coverage_end": optional(DATE),
        "self_only": BOOL,
    }
)
_PLAN = ObjectType(
    {
        "id": STR,
        "type": STR,
        "covers_out_of_network": BOOL,
        "open_formulary": BOOL,
        "dependent_max_age": optional(INT),
        "timely_filing_days": INT,
    }
)
_DRUG = ObjectType(
    {
        "ndc": STR,
        "known": BOOL,
        "on_formulary": BOOL,
        "name": STR,
        "tier": INT,
        "brand": BOOL,
        "classes": set_of(STR),
        "excluded": BOOL,
        "pa_required": BOOL,
        "ql_units": optional(DECIMAL),
        "ql_days": optional(INT),
        "min_age": optional(INT),
        "max_age": optional(INT),
        "gender": optional(STR),
        "step_therapy": optional(STR),
    }
)
_PHARMACY = ObjectType({"npi": STR, "known": BOOL, "in_network": BOOL, "channel": STR})
_BENEFIT = ObjectType(
    {"channel": STR, "tier": INT, "cost_share_defined": BOOL, "max_days_supply": optional(INT)}
)
_HISTORY = ObjectType(
    {
        "last_fill_date": optional(DATE),
        "last_days_supply": optional(INT),
        "next_fill_date": optional(DATE),
        "step_therapy_met": BOOL,
    }
)

ROOTS = {
    "request": ("claim",),
    "eligibility": ("claim", "member", "plan"),
    "benefit": ("claim", "member", "plan", "drug", "pharmacy", "benefit", "history"),
}
"""The roots each phase's conditions receive, in call order."""

_TYPES = {
    "claim": _CLAIM,
    "member": _MEMBER,
    "plan": _PLAN,
    "drug": _DRUG,
    "pharmacy": _PHARMACY,
    "benefit": _BENEFIT,
    "history": _HISTORY,
}

SCHEMAS = {phase: Schema({name: _TYPES[name] for name in roots}) for phase, roots in ROOTS.items()}
"""The schema each phase's conditions are checked against."""
