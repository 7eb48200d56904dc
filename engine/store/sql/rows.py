"""Ledger entries and accumulator transactions as table rows, and back.

Conversion runs in the caller's thread before a record reaches the group-commit
writer, so a malformed entry fails its own caller and never a whole batch.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from engine.accumulators import (
    DEDUCTIBLE,
    OUT_OF_POCKET,
    AccumulatorTxn,
    FamilyKey,
    parse_amount_field,
)
from engine.adjudication.decision import Decision, Status
from engine.adjudication.serialize import claim_to_dict, decision_to_dict
from engine.store.base import EntryKind, LedgerEntry

__all__ = [
    "AccumulatorRow",
    "accumulator_txn_of",
    "claim_row",
    "net_columns",
]


@dataclass(frozen=True, slots=True)
class AccumulatorRow:
    """One accumulation row read back: the transaction to replay and what it changed."""

    seq: int
    key: FamilyKey
    txn: AccumulatorTxn
    net: dict[str, int]
    source: str
    recorded_at: dt.datetime


def accumulator_txn_of(entry: LedgerEntry) -> AccumulatorTxn | None:
    """The transaction an entry applied to the accumulator store, exactly as applied.

    A paid entry applied its decision's transaction (a rebill's also names the
    claim it reverses). A reversal (B2, status A) applied a transaction with no
    deltas of its own that negates the original; its decision shows the negated
    amounts for the response, which are not what the store recorded. A rebill's
    reversal entry carries the new claim's decision and adds no transaction: its
    paid entry does.
    """
    txn = entry.decision.txn
    if txn is None:
        return None
    if entry.kind is EntryKind.PAID:
        return txn
    if entry.kind is EntryKind.REVERSED and entry.decision.status == Status.APPROVED:
        return AccumulatorTxn(txn.id, {}, None, reverses=txn.reverses)
    return None


def net_columns(net: Mapping[str, int]) -> tuple[int, int]:
    """(deductible, out-of-pocket) cents of a net change, over persons and sources."""
    deductible = out_of_pocket = 0
    for name, cents in net.items():
        bucket = parse_amount_field(name)[0]
        if bucket == DEDUCTIBLE:
            deductible += cents
        elif bucket == OUT_OF_POCKET:
            out_of_pocket += cents
    return deductible, out_of_pocket


def _cob_columns(decision: Decision) -> dict[str, int | None]:
    """A paid claim's place among the payers and the other payers' money, kept apart.

    Patient pay is its own column; ``other_troop`` and ``plro`` are the other
    payers' reduction of what the patient owed that counts toward Part D TrOOP and
    that does not. A claim this plan paid first has place 1 and no other money.
    """
    figures = decision.figures
    if figures is None or not decision.paid:
        return {"payer_seq": None, "other_payer_paid": None, "other_troop": None, "plro": None}
    cob = figures.cob
    if cob is None:
        return {"payer_seq": 1, "other_payer_paid": 0, "other_troop": 0, "plro": 0}
    return {
        "payer_seq": cob.payer_seq,
        "other_payer_paid": cob.other_payer_paid,
        "other_troop": cob.other_troop,
        "plro": cob.plro,
    }


def claim_row(entry: LedgerEntry, recorded_at: dt.datetime) -> dict[str, Any]:
    """The ``claim_entries`` row of an entry."""
    decision = entry.decision
    figures, versions, family = decision.figures, decision.versions, decision.family
    return {
        "claim_key": entry.claim_key,
        "sequence": entry.sequence,
        "kind": entry.kind.value,
        "transaction_code": decision.transaction_code,
        "status": decision.status,
        "cardholder_id": family.cardholder_id if family else None,
        "plan_year": family.plan_year if family else None,
        "txn_id": decision.txn.id if decision.txn else None,
        "decision": decision_to_dict(decision),
        "patient_pay": figures.patient_pay if figures else None,
        "plan_pay": figures.plan_pay if figures else None,
        "allowed": figures.allowed if figures else None,
        "deductible": figures.deductible if figures else None,
        "copay": figures.copay if figures else None,
        "coinsurance": figures.coinsurance if figures else None,
        "out_of_pocket": figures.out_of_pocket if figures else None,
        "plan_version": versions.plan if versions else None,
        "formulary_version": versions.formulary if versions else None,
        "network_version": versions.network if versions else None,
        "prices_version": versions.prices if versions else None,
        "edits_version": versions.edits if versions else None,
        **_cob_columns(decision),
        "request": claim_to_dict(entry.request) if entry.request else None,
        "raw_request": entry.raw_request,
        "raw_response": entry.raw_response,
        "recorded_at": recorded_at,
    }
