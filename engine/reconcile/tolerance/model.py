"""The tolerance rule file (``kind: tolerances``): what short payment is accepted as full.

A payment short of the amount due closes the claim as paid, with the shortfall
recorded as a markdown, when it is at least ``minimum_share`` of the amount due
*and* short by no more than ``maximum_difference`` (CRAM21: a $500.00 claim paid
$485.00 passes 95% and $75.00). A payer's own entry overrides the default; an
entry may carry a ``when`` condition over the remittance (payer, store, billing
method), compiled by the same expression engine as the plan files.

Example::

    kind: tolerances
    tolerances: receivables
    version: "2026.1"
    effective: {from: 2026-01-01}
    default: {minimum_share: 95%, maximum_difference: 75.00}
    payers:
      - payer: "610014"
        minimum_share: 98%
        maximum_difference: 25.00
        statement_to: receivables@payer.example
    exception_codes: [CO-16, CO-22]
    provider_adjustments:
      - {code: CS, reference: DIR, category: dir}
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Literal

from pydantic import Field, field_validator, model_validator

from engine.plans.fields import Effective, FileModel, Money, Percent, VersionId
from engine.reconcile.codes import DEFAULT_EXCEPTION_CODES, ProviderClass
from engine.sourcefile import LocatedError

__all__ = ["PayerTolerance", "ProviderAdjustmentClass", "Tolerance", "ToleranceFile", "ppm"]

_CODE = re.compile(r"^(CO|PR|PI|OA)-[A-Z0-9]{1,5}$")
_PARTS_PER_MILLION = 1_000_000


def ppm(share: Decimal) -> int:
    """A share as whole parts per million, so SQL compares it with integer cents exactly."""
    return int(share * _PARTS_PER_MILLION)


class Tolerance(FileModel):
    """The two CRAM21 parameters: minimum share paid, maximum difference in dollars."""

    minimum_share: Percent
    maximum_difference: Money

    @field_validator("minimum_share")
    @classmethod
    def _exact(cls, value: Decimal) -> Decimal:
        if value * _PARTS_PER_MILLION != int(value * _PARTS_PER_MILLION):
            raise ValueError("a share may have at most four decimals of a percent (95.1234%)")
        return value


class PayerTolerance(Tolerance):
    """A payer's own tolerance, optionally only where its condition holds."""

    payer: str = Field(min_length=1, max_length=30)
    name: str | None = None
    when: str | None = None
    statement_to: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+$")
    """Where aged receivable statements for this payer are emailed."""

    @field_validator("payer", mode="before")
    @classmethod
    def _text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) else value


class ProviderAdjustmentClass(FileModel):
    """A PLB reason code (and reference prefix) and what it is, for the fees report."""

    code: str = Field(pattern=r"^[A-Z0-9]{2}$")
    reference: str | None = None
    category: ProviderClass


class ToleranceFile(FileModel):
    """One version of the tolerance rules."""

    kind: Literal["tolerances"]
    tolerances: str = Field(min_length=1, max_length=60)
    version: VersionId
    effective: Effective
    title: str | None = None
    default: Tolerance
    payers: tuple[PayerTolerance, ...] = ()
    exception_codes: tuple[str, ...] = DEFAULT_EXCEPTION_CODES
    provider_adjustments: tuple[ProviderAdjustmentClass, ...] = ()

    @field_validator("exception_codes")
    @classmethod
    def _codes(cls, codes: tuple[str, ...]) -> tuple[str, ...]:
        for index, code in enumerate(codes):
            if not _CODE.match(code):
                raise LocatedError(
                    (index,), f"write claim adjustment codes as GROUP-REASON, like CO-16: {code!r}"
                )
        return codes

    @model_validator(mode="after")
    def _one_unconditional_entry_per_payer(self) -> ToleranceFile:
        seen: set[str] = set()
        for index, entry in enumerate(self.payers):
            if entry.when is None:
                if entry.payer in seen:
                    raise LocatedError(
                        ("payers", index, "payer"),
                        f"payer {entry.payer} has two entries without a condition",
                    )
                seen.add(entry.payer)
        return self
