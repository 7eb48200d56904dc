"""Payments as reconciliation keeps them, whatever file they came from.

One :class:`Remittance` is one payment — a check or an EFT (X12 BPR/TRN, or one
CSV file) — with the claim payments it settles and the provider-level
adjustments that belong to no claim. Amounts are integer cents. Nothing that
identifies the patient is kept: the remittance names the patient, the reader
never copies it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

__all__ = ["ClaimAdjustment", "ClaimPayment", "ProviderAdjustment", "Remittance"]


@dataclass(frozen=True, slots=True)
class ClaimAdjustment:
    """One CAS adjustment: group (CO, PR, PI, OA), reason code, cents (positive reduces)."""

    group: str
    reason: str
    amount: int
    level: str = "claim"

    @property
    def code(self) -> str:
        """``CO-45``."""
        return f"{self.group}-{self.reason}"


@dataclass(slots=True)
class ClaimPayment:
    """One remitted claim (X12 CLP, or one CSV row), with its matching keys.

    ``problem`` is set when the row cannot be matched to any claim (no
    prescription number, say): it is kept, counted and reported, never posted.
    """

    line: int
    store: str | None = None
    rx_number: int | None = None
    fill_number: int | None = None
    date_of_service: dt.date | None = None
    payer: str | None = None
    ndc: str | None = None
    status_code: str = "1"
    charge: int = 0
    paid: int = 0
    patient_resp: int = 0
    payer_control: str | None = None
    original_ref: str | None = None
    segment: int | None = None
    adjustments: list[ClaimAdjustment] = field(default_factory=list)
    problem: str | None = None

    @property
    def reason_code(self) -> str | None:
        """The adjustment that weighs most (a denial's reason), as ``CO-16``."""
        if not self.adjustments:
            return None
        return max(self.adjustments, key=lambda a: abs(a.amount)).code


@dataclass(frozen=True, slots=True)
class ProviderAdjustment:
    """One PLB adjustment: positive amounts reduce the payment (a fee, a recoupment)."""

    line: int
    provider_id: str | None
    fiscal_date: dt.date | None
    code: str
    reference: str | None
    amount: int


@dataclass(slots=True)
class Remittance:
    """One payment and its detail; ``balanced`` when the detail adds up to the payment."""

    source: str
    payer: str
    payment_date: dt.date
    total: int
    method: str = "CHK"
    check_number: str | None = None
    payer_name: str | None = None
    payee: str | None = None
    line: int = 1
    claims: list[ClaimPayment] = field(default_factory=list)
    provider: list[ProviderAdjustment] = field(default_factory=list)

    @property
    def detail_total(self) -> int:
        """Sum of the claim payments (reversals negative)."""
        return sum(claim.paid for claim in self.claims)

    @property
    def provider_total(self) -> int:
        """Sum of the provider-level adjustments (positive reduces the payment)."""
        return sum(adjustment.amount for adjustment in self.provider)

    @property
    def balanced(self) -> bool:
        """Whether the payment equals the claim payments less the provider adjustments."""
        return self.total == self.detail_total - self.provider_total
