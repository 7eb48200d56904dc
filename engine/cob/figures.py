"""The coordination-of-benefits values a decision carries, for the ledger and the response.

Kept apart from the COB logic so that decisions can hold them without importing it.
Amounts are integer cents.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["CobFigures", "OtherPayerInfo"]


@dataclass(slots=True)
class CobFigures:
    """How a secondary or tertiary claim was settled.

    ``payer_seq`` is this plan's place for the claim (2 or 3). ``normal_patient_pay``
    and ``normal_plan_pay`` are what the member and this plan would have paid with
    no other coverage; ``other_payer_paid`` what the earlier payers paid (431-DV);
    ``other_payer_patient_responsibility`` what they left the patient to pay
    (352-NQ), when they said. ``recognized`` is the part of this plan's allowed
    amount the other payers' terms covered (566-J5): what they paid, plus any lower
    price they had negotiated.

    For Medicare Part D, the reduction of the patient's liability by other payers is
    split, as on the Prescription Drug Event: ``other_troop`` what payers that count
    toward TrOOP paid (SPAPs, ADAPs, the Indian Health Service, charities), ``plro``
    what the others paid (group health plans, other insurance). Plans other than
    Part D keep the same split for the record.
    """

    payer_seq: int
    method: str
    normal_patient_pay: int
    normal_plan_pay: int
    other_payer_paid: int
    other_payer_patient_responsibility: int | None
    recognized: int
    other_troop: int
    plro: int


@dataclass(frozen=True, slots=True)
class OtherPayerInfo:
    """Another payer of the member, for the response's COB segment (28).

    ``coverage_type`` is its place ("01" primary, "02", "03") on the date of service.
    """

    coverage_type: str
    bin: str
    pcn: str | None
    cardholder_id: str
    group: str | None
    person_code: str | None
    help_desk_phone: str | None
    relationship: str
    start: dt.date
    end: dt.date | None
