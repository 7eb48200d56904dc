"""JSON claims: the same claim as NCPDP bytes carry, with names instead of field ids.

Amounts are dollars written as text (``"12.50"``) and converted exactly to cents;
dates are ISO (``2026-03-02``); text fields are printable ASCII within the NCPDP
field lengths, so every valid JSON claim has an NCPDP form. Unknown keys are errors,
so a misspelt field never silently drops out of a claim.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from annotated_types import Ge, Le, Lt, MaxLen, MultipleOf
from pydantic import BaseModel, ConfigDict, StringConstraints

from engine.claim import ClaimRequest
from engine.money import parse_dollars

__all__ = ["JsonClaim"]


def _text(longest: int, shortest: int = 0) -> Any:
    """A field of printable ASCII up to ``longest`` characters, as NCPDP can carry it.

    Text fields are never null (empty means absent) and their length sits inside
    the pattern: the OpenAPI schema Litestar writes drops the pattern of an optional
    string and keeps only one constraint per string, and clients must see them all.
    """
    return Annotated[str, StringConstraints(pattern=rf"^[\x20-\x7E]{{{shortest},{longest}}}$")]


def _digits(longest: int, shortest: int = 1) -> Any:
    return Annotated[str, StringConstraints(pattern=rf"^[0-9]{{{shortest},{longest}}}$")]


Dollars = Annotated[str, StringConstraints(pattern=r"^(-?[0-9]{1,6}(\.[0-9]{1,2})?)?$")]
"""Money as text in dollars (``"12.50"``): exact, never a binary float."""


def _count(most: int) -> Any:
    return Annotated[int, Ge(0), Le(most)]


class JsonClaim(BaseModel):
    """A claim transaction in JSON. Amounts are dollars as text; dates are ISO."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    transaction_code: Literal["B1", "B2", "B3", "E1"]
    bin: _digits(6, 6)
    pcn: _text(10)
    service_provider_id_qualifier: _text(2) = "01"
    service_provider_id: _text(15, 1)
    date_of_service: dt.date
    cardholder_id: _text(20) = ""
    group_id: _text(15) = ""
    person_code: _text(3) = ""
    patient_relationship: _digits(1, 0) = ""
    date_of_birth: dt.date | None = None
    gender_code: Literal["0", "1", "2"] | None = None
    rx_number: _count(999_999_999_999) | None = None
    fill_number: _count(99) | None = None
    product_id_qualifier: _text(2) = "03"
    ndc: _text(19) = ""
    quantity: Annotated[Decimal, Ge(0), Lt(10_000_000), MultipleOf(Decimal("0.001"))] | None = None
    days_supply: _count(999) | None = None
    compound_code: _digits(1, 0) = "1"
    daw: _text(1) = "0"
    date_written: dt.date | None = None
    refills_authorized: _count(99) | None = None
    submission_clarification_codes: Annotated[tuple[_digits(2), ...], MaxLen(3)] = ()
    other_coverage_code: _digits(2, 0) = ""
    pa_number: _digits(11, 0) = ""
    prescriber_id_qualifier: _text(2) = "01"
    prescriber_id: _text(15) = ""
    pharmacy_id: _text(15) = ""
    ingredient_cost_submitted: Dollars = ""
    dispensing_fee_submitted: Dollars = ""
    usual_and_customary: Dollars = ""
    gross_amount_due: Dollars = ""
    coupon_value: Dollars = ""

    def to_claim(self) -> ClaimRequest:
        """The engine's typed claim: amounts in cents, empty text as absent."""
        values = {
            name: None if value == "" and name not in _HEADER else value
            for name, value in self.model_dump().items()
        }
        for name in _MONEY:
            if values[name] is not None:
                values[name] = parse_dollars(values[name])
        return ClaimRequest(**values)


_HEADER = frozenset(
    {"transaction_code", "bin", "pcn", "service_provider_id_qualifier", "service_provider_id"}
)
"""Header fields are fixed-width text: empty stays empty (blanks on the wire)."""

_MONEY = (
    "ingredient_cost_submitted",
    "dispensing_fee_submitted",
    "usual_and_customary",
    "gross_amount_due",
    "coupon_value",
)
