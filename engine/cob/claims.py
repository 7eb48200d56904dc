"""What a claim's COB segment says the earlier payers did, summed the way settling needs.

``paid`` adds every amount the earlier payers paid (431-DV, every 342-HC
qualifier: drug benefit, fees, tax). ``patient_balance`` is what they left the
patient to pay, from the 352-NQ amounts: the patient pay amount (351-NP 06) when
sent, else the sum of the parts (deductible, copay, coinsurance, ...). When the
last payer sent no patient responsibility but an earlier one did, what the later
payers paid comes off the earlier figure.
"""

from __future__ import annotations

from collections.abc import Sequence

from engine.claim import OtherPayerResult

__all__ = ["PATIENT_PAY_QUALIFIER", "paid", "patient_balance", "patient_responsibility"]

PATIENT_PAY_QUALIFIER = "06"
"""351-NP 06: the other payer's patient pay amount (505-F5), the total of the parts."""


def paid(results: Sequence[OtherPayerResult]) -> int:
    """What the earlier payers paid in all (checked amounts are never None)."""
    return sum(a.amount or 0 for result in results for a in result.amounts_paid)


def patient_responsibility(result: OtherPayerResult) -> int | None:
    """What one payer left the patient to pay, or None when it did not say."""
    if not result.patient_responsibility:
        return None
    total = [a.amount or 0 for a in result.patient_responsibility]
    qualified = [
        a.amount or 0 for a in result.patient_responsibility if a.qualifier == PATIENT_PAY_QUALIFIER
    ]
    return qualified[0] if qualified else sum(total)


def patient_balance(results: Sequence[OtherPayerResult]) -> int | None:
    """What the patient still owed after the earlier payers (in payment order), if known."""
    balance: int | None = None
    for result in results:
        stated = patient_responsibility(result)
        if stated is not None:
            balance = stated
        elif balance is not None:
            balance = max(0, balance - sum(a.amount or 0 for a in result.amounts_paid))
    return balance
