"""The vocabularies of reconciliation: outcomes, claim-load categories, adjustment classes.

Adjustments are classified by their codes, not only by their amounts: a claim
adjustment's group (CAS01) says who carries it — CO the provider by contract, PR
the patient, PI the payer's own initiative, OA neither — and a provider-level
adjustment's reason (PLB03-1, with its reference) says what it is: a transaction
fee, a DIR fee, a recoupment of an earlier payment, interest. Tolerance rules may
name codes that are never accepted as a markdown (missing information, another
payer is primary): a short payment carrying one is an exception however small.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "CAS_GROUPS",
    "DEFAULT_EXCEPTION_CODES",
    "DEFAULT_PROVIDER_CLASSES",
    "POSTED",
    "ClaimCategory",
    "ItemStatus",
    "Outcome",
    "ProviderClass",
    "classify_provider",
]


class Outcome(StrEnum):
    """What reconciliation decided about one payment (CRAM21's report categories)."""

    PAID_IN_FULL = "paid_in_full"
    PARTIAL_ACCEPTED = "partial_accepted"
    PARTIAL_EXCEPTION = "partial_exception"
    NO_MATCH = "no_match"
    NEGATIVE = "negative"
    DENIED = "denied"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"
    """A row the load could not read (no usable claim key); it never reaches a claim."""


POSTED = frozenset(
    {Outcome.PAID_IN_FULL, Outcome.PARTIAL_ACCEPTED, Outcome.NEGATIVE, Outcome.DENIED}
)
"""Outcomes that change the receivable; the others are reported and not posted."""


class ClaimCategory(StrEnum):
    """How a claims load classified one claim; only VALID claims become receivables."""

    VALID = "valid"
    DUPLICATE = "duplicate"
    ZERO_BALANCE = "zero_balance"
    UNAUTHORIZED = "unauthorized"
    RESUBMITTED = "resubmitted"
    COB_LIMIT = "cob_limit"
    INVALID = "invalid"


class ItemStatus(StrEnum):
    """A receivable's state."""

    OPEN = "open"
    PAID = "paid"
    DENIED = "denied"
    REVERSED = "reversed"
    """The pharmacy reversed the claim (B2): nothing is owed for it."""


CAS_GROUPS = {
    "CO": "contractual",
    "PR": "patient",
    "PI": "payer",
    "OA": "other",
}
"""Claim adjustment group (CAS01) → who carries the adjustment."""

DEFAULT_EXCEPTION_CODES = ("CO-16", "CO-22", "CO-29", "OA-23")
"""Missing information, another payer primary, filing limit, prior payer's adjudication:
shortfalls to be chased (resubmit, bill the other payer), never written off."""


class ProviderClass(StrEnum):
    """What a provider-level adjustment (PLB) is, for the fees report."""

    FEE = "fee"
    DIR = "dir"
    RECOUPMENT = "recoupment"
    INTEREST = "interest"
    OTHER = "other"


DEFAULT_PROVIDER_CLASSES: tuple[tuple[str, str | None, ProviderClass], ...] = (
    ("CS", "DIR", ProviderClass.DIR),
    ("CS", "FEE", ProviderClass.FEE),
    ("CS", "TXN", ProviderClass.FEE),
    ("L6", None, ProviderClass.INTEREST),
    ("WO", None, ProviderClass.RECOUPMENT),
    ("FB", None, ProviderClass.RECOUPMENT),
    ("72", None, ProviderClass.RECOUPMENT),
    ("J1", None, ProviderClass.FEE),
    ("CV", None, ProviderClass.FEE),
)
"""PLB reason code (and reference prefix, when it decides) → class; the first match wins."""


def classify_provider(
    code: str,
    reference: str | None,
    table: tuple[tuple[str, str | None, ProviderClass], ...] = DEFAULT_PROVIDER_CLASSES,
) -> ProviderClass:
    """The class of a PLB adjustment: the first entry whose code and reference prefix match."""
    ref = (reference or "").upper()
    for entry_code, prefix, klass in table:
        if entry_code == code and (prefix is None or ref.startswith(prefix)):
            return klass
    return ProviderClass.OTHER
