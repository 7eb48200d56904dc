"""The engine's typed claim: what one NCPDP transaction (or a JSON claim) asks for.

The codec yields segments and field ids; adjudication wants names and types. This
module is the one place that knows which field carries what, for requests read
from NCPDP bytes and for JSON claims alike, and it computes the claim key that
makes a claim idempotent: BIN + PCN + service provider id + prescription number +
fill number + date of service.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal

__all__ = ["ClaimRequest", "OtherPayerResult", "QualifiedAmount", "claim_key"]


@dataclass(frozen=True, slots=True)
class QualifiedAmount:
    """An amount with its qualifier, as the COB segment repeats them (None: not sent)."""

    qualifier: str | None
    amount: int | None


@dataclass(frozen=True, slots=True)
class OtherPayerResult:
    """One occurrence of the COB segment (05): what an earlier payer did with the claim.

    ``coverage_type`` is that payer's place (338-5C, "01" primary); ``amounts_paid``
    are 342-HC/431-DV, ``reject_codes`` 472-6E, ``patient_responsibility``
    351-NP/352-NQ. Values are as sent, so the checks can say what is missing.
    """

    coverage_type: str | None = None
    id_qualifier: str | None = None
    payer_id: str | None = None
    date: dt.date | None = None
    amounts_paid: tuple[QualifiedAmount, ...] = ()
    reject_codes: tuple[str, ...] = ()
    patient_responsibility: tuple[QualifiedAmount, ...] = ()


@dataclass(slots=True)
class ClaimRequest:
    """One claim transaction, typed. Absent optional fields are None (or empty)."""

    transaction_code: str
    bin: str
    pcn: str
    service_provider_id_qualifier: str
    service_provider_id: str
    date_of_service: dt.date
    software_vendor_id: str = ""
    # insurance (AM04)
    cardholder_id: str | None = None
    group_id: str | None = None
    person_code: str | None = None
    patient_relationship: str | None = None
    # patient (AM01) — never logged
    date_of_birth: dt.date | None = None
    gender_code: str | None = None
    patient_first_name: str | None = None
    patient_last_name: str | None = None
    # claim (AM07)
    rx_number: int | None = None
    fill_number: int | None = None
    product_id_qualifier: str | None = None
    ndc: str | None = None
    quantity: Decimal | None = None
    days_supply: int | None = None
    compound_code: str | None = None
    daw: str | None = None
    date_written: dt.date | None = None
    refills_authorized: int | None = None
    origin_code: str | None = None
    submission_clarification_codes: tuple[str, ...] = ()
    other_coverage_code: str | None = None
    pa_type_code: str | None = None
    pa_number: str | None = None
    # prescriber (AM03)
    prescriber_id_qualifier: str | None = None
    prescriber_id: str | None = None
    # pharmacy provider (AM02), when it differs from the header
    pharmacy_id: str | None = None
    # pricing (AM11)
    ingredient_cost_submitted: int | None = None
    dispensing_fee_submitted: int | None = None
    patient_paid_submitted: int | None = None
    usual_and_customary: int | None = None
    gross_amount_due: int | None = None
    basis_of_cost: str | None = None
    # coupon (AM09): manufacturer assistance toward the member's share
    coupon_value: int | None = None
    # coordination of benefits (AM05): the earlier payers' results
    other_payers: tuple[OtherPayerResult, ...] = ()
    unknown_fields: tuple[str, ...] = field(default=(), compare=False)

    @property
    def dispensing_npi(self) -> str:
        """The NPI of the pharmacy that dispensed: the header's, unless AM02 names another."""
        return self.pharmacy_id or self.service_provider_id

    def with_code(self, transaction_code: str) -> ClaimRequest:
        """The same claim under another transaction code (a B3 is billed as a B1)."""
        return replace(self, transaction_code=transaction_code)


def claim_key(claim: ClaimRequest) -> str | None:
    """The claim's idempotency key, or None when a part of it is missing."""
    if claim.rx_number is None or claim.fill_number is None:
        return None
    return "|".join(
        (
            claim.bin,
            claim.pcn.strip(),
            claim.service_provider_id.strip(),
            str(claim.rx_number),
            str(claim.fill_number),
            claim.date_of_service.isoformat(),
        )
    )
