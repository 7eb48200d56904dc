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

from engine.claim import ClaimRequest, OtherPayerResult, QualifiedAmount
from engine.money import parse_dollars

__all__ = ["JsonAmount", "JsonClaim", "JsonOtherPayer"]


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


def _cents(text: str) -> int | None:
    return parse_dollars(text) if text else None


class JsonAmount(BaseModel):
    """A qualified amount of the COB segment: 342-HC/431-DV or 351-NP/352-NQ."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    qualifier: _digits(2, 2)
    amount: Dollars

    def to_amount(self) -> QualifiedAmount:
        """The engine's form, in cents (an empty amount is absent: the checks reject it)."""
        return QualifiedAmount(self.qualifier, _cents(self.amount))


class JsonOtherPayer(BaseModel):
    """What an earlier payer did with the claim: one occurrence of the COB segment (05).

    ``coverage_type`` is its place (338-5C: "01" primary, "02" secondary);
    ``payer_id`` its BIN when ``id_qualifier`` is "03"; ``amounts_paid`` what it paid,
    ``reject_codes`` why it rejected, ``patient_responsibility`` what it left the
    patient to pay.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    coverage_type: _digits(2, 2)
    id_qualifier: _digits(2, 2) = "03"
    payer_id: _text(10, 1)
    date: dt.date | None = None
    amounts_paid: Annotated[tuple[JsonAmount, ...], MaxLen(9)] = ()
    reject_codes: Annotated[tuple[_text(3, 1), ...], MaxLen(5)] = ()
    patient_responsibility: Annotated[tuple[JsonAmount, ...], MaxLen(25)] = ()

    def to_result(self) -> OtherPayerResult:
        """The engine's form of the occurrence."""
        return OtherPayerResult(
            coverage_type=self.coverage_type,
            id_qualifier=self.id_qualifier,
            payer_id=self.payer_id,
            date=self.date,
            amounts_paid=tuple(a.to_amount() for a in self.amounts_paid),
            reject_codes=self.reject_codes,
            patient_responsibility=tuple(a.to_amount() for a in self.patient_responsibility),
        )


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
    other_payers: Annotated[tuple[JsonOtherPayer, ...], MaxLen(9)] = ()
    """The earlier payers' results, for a secondary or tertiary bill (COB segment)."""

    def to_claim(self) -> ClaimRequest:
        """The engine's typed claim: amounts in cents, empty text as absent."""
        values = {
            name: None if value == "" and name not in _HEADER else value
            for name, value in self.model_dump(exclude={"other_payers"}).items()
        }
        for name in _MONEY:
            if values[name] is not None:
                values[name] = parse_dollars(values[name])
        values["other_payers"] = tuple(p.to_result() for p in self.other_payers)
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
