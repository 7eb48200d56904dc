"""Decisions and claims to and from plain JSON-ready dictionaries, money as dollar text.

The JSON form is what the command line prints, what the HTTP API answers and what
the SQL ledger stores; ``decision_from_dict(decision_to_dict(d)) == d`` for every
decision, so a stored claim answers a duplicate with exactly its original figures,
and ``claim_from_dict(claim_to_dict(c)) == c`` for every claim request (dates as
ISO text, money as dollar strings, quantities as exact decimal text).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from engine.accumulators import AccumulatorTxn, FamilyKey, Fill
from engine.adjudication.decision import (
    AuthorizationUsed,
    CostShareFigures,
    Decision,
    Reject,
    Remaining,
    Versions,
)
from engine.adjudication.trace import Trace
from engine.claim import ClaimRequest
from engine.cob.serialize import (
    cob_figures_from_dict,
    cob_figures_to_dict,
    other_payer_results_from_dicts,
    other_payer_results_to_dicts,
    other_payers_from_dicts,
    other_payers_to_dicts,
)
from engine.money import cents_to_dollars, parse_dollars
from engine.ncpdp.rejects import RejectCode

__all__ = [
    "claim_from_dict",
    "claim_to_dict",
    "decision_from_dict",
    "decision_to_dict",
    "fill_from_dict",
    "fill_to_dict",
]

_FIGURES_MONEY = (
    "ingredient_cost_paid",
    "dispensing_fee_paid",
    "allowed",
    "patient_pay",
    "plan_pay",
    "deductible",
    "copay",
    "coinsurance",
    "product_selection",
    "out_of_pocket",
)
_REMAINING_MONEY = (
    "deductible_met",
    "deductible_remaining",
    "deductible_family_remaining",
    "out_of_pocket_met",
    "out_of_pocket_remaining",
    "out_of_pocket_family_remaining",
)


def _dollars(cents: int | None) -> str | None:
    return None if cents is None else str(cents_to_dollars(cents))


def _cents(text: str | None) -> int | None:
    return None if text is None else parse_dollars(text)


def fill_to_dict(fill: Fill | None) -> dict[str, Any] | None:
    """A fill as JSON (dates ISO, money in dollars), as the ledger keeps it."""
    if fill is None:
        return None
    return {
        "txn_id": fill.txn_id,
        "person_code": fill.person_code,
        "ndc": fill.ndc,
        "group": fill.group,
        "date_of_service": fill.date_of_service.isoformat(),
        "days_supply": fill.days_supply,
        "clarifications": list(fill.clarifications),
        "member_share": _dollars(fill.member_share),
    }


def fill_from_dict(data: Mapping[str, Any] | None) -> Fill | None:
    """The inverse of :func:`fill_to_dict`.

    Rows written before a field existed read as its default.
    """
    if data is None:
        return None
    return Fill(
        data["txn_id"],
        data["person_code"],
        data["ndc"],
        data["group"],
        dt.date.fromisoformat(data["date_of_service"]),
        int(data["days_supply"]),
        tuple(data.get("clarifications", ())),
        parse_dollars(data.get("member_share", "0")),
    )


def _txn_to_dict(txn: AccumulatorTxn) -> dict[str, Any]:
    return {
        "id": txn.id,
        "deltas": {name: _dollars(cents) for name, cents in txn.deltas.items()},
        "reverses": txn.reverses,
        "fill": fill_to_dict(txn.fill),
    }


def _txn_from_dict(data: Mapping[str, Any]) -> AccumulatorTxn:
    return AccumulatorTxn(
        id=data["id"],
        deltas={name: parse_dollars(value) for name, value in data["deltas"].items()},
        reverses=data.get("reverses"),
        fill=fill_from_dict(data.get("fill")),
    )


def decision_to_dict(decision: Decision) -> dict[str, Any]:
    """A JSON-ready dictionary of a decision; amounts are dollar strings like ``"12.50"``."""
    figures = decision.figures
    remaining = decision.remaining
    return {
        "transaction_code": decision.transaction_code,
        "status": decision.status,
        "claim_key": decision.claim_key,
        "authorization_number": decision.authorization_number,
        "plan_id": decision.plan_id,
        "tier": decision.tier,
        "channel": decision.channel,
        "group_id": decision.group_id,
        "rejects": [
            {
                "code": r.code.code,
                "text": r.code.text,
                "message": r.message,
                "rule": r.rule,
                "field": r.field_id,
                "occurrence": r.occurrence,
            }
            for r in decision.rejects
        ],
        "figures": None
        if figures is None
        else {
            **{name: _dollars(getattr(figures, name)) for name in _FIGURES_MONEY},
            "basis_of_reimbursement": figures.basis_of_reimbursement,
            "capped_by": figures.capped_by,
            "cob": cob_figures_to_dict(figures.cob),
        },
        "remaining": None
        if remaining is None
        else {
            **{name: _dollars(getattr(remaining, name)) for name in _REMAINING_MONEY},
            "deductible_met_by_this_claim": remaining.deductible_met_by_this_claim,
            "out_of_pocket_met_by_this_claim": remaining.out_of_pocket_met_by_this_claim,
        },
        "family": None
        if decision.family is None
        else {
            "cardholder_id": decision.family.cardholder_id,
            "plan_year": decision.family.plan_year.isoformat(),
        },
        "accumulator_txn": None if decision.txn is None else _txn_to_dict(decision.txn),
        "versions": None
        if decision.versions is None
        else {
            "plan": decision.versions.plan,
            "formulary": decision.versions.formulary,
            "network": decision.versions.network,
            "prices": decision.versions.prices,
            "edits": decision.versions.edits,
        },
        "prior_authorization": _authorization_to_dict(decision.prior_authorization),
        "overrides": list(decision.overrides),
        "messages": list(decision.messages),
        "other_payers": other_payers_to_dicts(decision.other_payers),
        "trace": list(decision.trace),
    }


def _authorization_to_dict(used: AuthorizationUsed | None) -> dict[str, Any] | None:
    if used is None:
        return None
    return {
        "number": used.number,
        "effective": used.effective.isoformat(),
        "expires": used.expires.isoformat(),
        "quantity": None if used.quantity is None else str(used.quantity),
    }


def _authorization_from_dict(data: Mapping[str, Any] | None) -> AuthorizationUsed | None:
    if data is None:
        return None
    return AuthorizationUsed(
        data["number"],
        dt.date.fromisoformat(data["effective"]),
        dt.date.fromisoformat(data["expires"]),
        None if data["quantity"] is None else Decimal(data["quantity"]),
    )


def decision_from_dict(data: Mapping[str, Any]) -> Decision:
    """Rebuild a decision from ``decision_to_dict`` output."""
    figures = data.get("figures")
    remaining = data.get("remaining")
    family = data.get("family")
    versions = data.get("versions")
    txn = data.get("accumulator_txn")
    return Decision(
        transaction_code=data["transaction_code"],
        status=data["status"],
        claim_key=data.get("claim_key"),
        authorization_number=data.get("authorization_number"),
        plan_id=data.get("plan_id"),
        tier=data.get("tier"),
        channel=data.get("channel"),
        group_id=data.get("group_id"),
        rejects=tuple(
            Reject(
                RejectCode(r["code"]),
                r["message"],
                r.get("rule"),
                r.get("field"),
                r.get("occurrence"),
            )
            for r in data.get("rejects", ())
        ),
        figures=None
        if figures is None
        else CostShareFigures(
            **{name: parse_dollars(figures[name]) for name in _FIGURES_MONEY},
            basis_of_reimbursement=figures["basis_of_reimbursement"],
            capped_by=figures.get("capped_by"),
            cob=cob_figures_from_dict(figures.get("cob")),
        ),
        remaining=None
        if remaining is None
        else Remaining(
            **{name: _cents(remaining[name]) for name in _REMAINING_MONEY},
            deductible_met_by_this_claim=remaining["deductible_met_by_this_claim"],
            out_of_pocket_met_by_this_claim=remaining["out_of_pocket_met_by_this_claim"],
        ),
        family=None
        if family is None
        else FamilyKey(family["cardholder_id"], dt.date.fromisoformat(family["plan_year"])),
        txn=None if txn is None else _txn_from_dict(txn),
        versions=None if versions is None else Versions(**versions),
        prior_authorization=_authorization_from_dict(data.get("prior_authorization")),
        overrides=tuple(data.get("overrides", ())),
        messages=tuple(data.get("messages", ())),
        other_payers=other_payers_from_dicts(data.get("other_payers", ())),
        trace=Trace(tuple(data.get("trace", ()))),
    )


_CLAIM_MONEY = frozenset(
    {
        "ingredient_cost_submitted",
        "dispensing_fee_submitted",
        "patient_paid_submitted",
        "usual_and_customary",
        "gross_amount_due",
        "coupon_value",
    }
)
_CLAIM_DATES = frozenset({"date_of_service", "date_of_birth", "date_written"})
_CLAIM_TUPLES = frozenset({"submission_clarification_codes", "unknown_fields"})


def claim_to_dict(claim: ClaimRequest) -> dict[str, Any]:
    """A JSON-ready dictionary of a claim request, every field by its attribute name."""
    out: dict[str, Any] = {}
    for item in dataclasses.fields(claim):
        value = getattr(claim, item.name)
        if value is None:
            out[item.name] = None
        elif item.name in _CLAIM_MONEY:
            out[item.name] = _dollars(value)
        elif item.name in _CLAIM_DATES:
            out[item.name] = value.isoformat()
        elif item.name in _CLAIM_TUPLES:
            out[item.name] = list(value)
        elif item.name == "other_payers":
            out[item.name] = other_payer_results_to_dicts(value)
        elif isinstance(value, Decimal):
            out[item.name] = str(value)
        else:
            out[item.name] = value
    return out


def claim_from_dict(data: Mapping[str, Any]) -> ClaimRequest:
    """Rebuild a claim request from ``claim_to_dict`` output."""
    values: dict[str, Any] = {}
    for item in dataclasses.fields(ClaimRequest):
        if item.name not in data:
            continue
        value = data[item.name]
        if value is None:
            values[item.name] = None
        elif item.name in _CLAIM_MONEY:
            values[item.name] = parse_dollars(value)
        elif item.name in _CLAIM_DATES:
            values[item.name] = dt.date.fromisoformat(value)
        elif item.name in _CLAIM_TUPLES:
            values[item.name] = tuple(value)
        elif item.name == "other_payers":
            values[item.name] = other_payer_results_from_dicts(value)
        elif item.name == "quantity":
            values[item.name] = Decimal(value)
        else:
            values[item.name] = value
    return ClaimRequest(**values)
