"""Claims as receivables see them: who owes how much for which prescription fill.

A claim becomes one open item per payer; with coordination of benefits a fill
has up to three (``payer_seq`` 1, 2, 3), each collected on its own. The amount
due is what the payer owes after the patient's share: ingredient cost plus
dispensing fee less patient pay, when the file does not state it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from engine.money import parse_dollars

__all__ = ["ClaimItem", "ClaimProblem", "item_from_ledger"]


@dataclass(slots=True)
class ClaimItem:
    """One claim for one payer, as loaded.

    ``row`` is its line in the file, its record number in a batch file (the
    transactions of one multi-claim transmission share it) or its ledger entry id.
    ``reason`` says why a claim is not billable (a response's reject codes), for the
    exception report.
    """

    row: int
    store: str
    rx_number: int
    fill_number: int
    date_of_service: dt.date
    payer: str
    billing_method: str
    amount_due: int
    ingredient_cost: int = 0
    dispensing_fee: int = 0
    patient_pay: int = 0
    payer_seq: int | None = None
    ndc: str | None = None
    prescriber_id: str | None = None
    claim_key: str | None = None
    unauthorized: bool = False
    resubmitted: bool = False
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class ClaimProblem:
    """A row that cannot be a claim, with what could be read of it (for the report)."""

    row: int
    reason: str
    store: str | None = None
    rx_number: int | None = None


def _figure(figures: dict[str, Any] | None, name: str) -> int:
    value = (figures or {}).get(name)
    return 0 if value is None else parse_dollars(value)


def item_from_ledger(
    entry_id: int,
    claim_key: str,
    request: dict[str, Any],
    decision: dict[str, Any],
    payer_seq: int | None = None,
) -> ClaimItem:
    """The receivable of a paid ledger claim: the plan's pay is what the payer owes.

    The payer is the claim's BIN (the processor that adjudicated it) and the
    billing method its plan; the store is the dispensing pharmacy. ``payer_seq``
    is the ledger's own place for the claim (2 for a secondary billed after the
    primary paid elsewhere), so the item keeps it even when the other payers'
    claims never reach this ledger; entries recorded before the ledger kept it
    have none, and the load gives them the next free place.
    """
    figures = decision.get("figures")
    return ClaimItem(
        row=entry_id,
        store=str(request.get("pharmacy_id") or request["service_provider_id"]).strip(),
        rx_number=int(request["rx_number"]),
        fill_number=int(request["fill_number"]),
        date_of_service=dt.date.fromisoformat(request["date_of_service"]),
        payer=str(request["bin"]).strip(),
        billing_method=str(decision.get("plan_id") or request.get("group_id") or "UNKNOWN"),
        amount_due=_figure(figures, "plan_pay"),
        ingredient_cost=_figure(figures, "ingredient_cost_paid"),
        dispensing_fee=_figure(figures, "dispensing_fee_paid"),
        patient_pay=_figure(figures, "patient_pay"),
        ndc=request.get("ndc"),
        prescriber_id=request.get("prescriber_id"),
        payer_seq=payer_seq,
        claim_key=claim_key,
    )
