"""COB values to and from JSON-ready dictionaries: money as dollar text, dates ISO.

``engine.adjudication.serialize`` calls these for the COB parts of claims and
decisions, so that the ledger keeps them and a duplicate answers with exactly the
original's figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from engine.claim import OtherPayerResult, QualifiedAmount
from engine.cob.figures import CobFigures, OtherPayerInfo
from engine.money import cents_to_dollars, parse_dollars

__all__ = [
    "cob_figures_from_dict",
    "cob_figures_to_dict",
    "other_payer_results_from_dicts",
    "other_payer_results_to_dicts",
    "other_payers_from_dicts",
    "other_payers_to_dicts",
]

_FIGURES_MONEY = (
    "normal_patient_pay",
    "normal_plan_pay",
    "other_payer_paid",
    "other_payer_patient_responsibility",
    "recognized",
    "other_troop",
    "plro",
)


def _dollars(cents: int | None) -> str | None:
    return None if cents is None else str(cents_to_dollars(cents))


def _cents(text: str | None) -> int | None:
    return None if text is None else parse_dollars(text)


def _day(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


def cob_figures_to_dict(figures: CobFigures | None) -> dict[str, Any] | None:
    """A decision's COB figures (None for a claim this plan paid first)."""
    if figures is None:
        return None
    return {
        "payer_seq": figures.payer_seq,
        "method": figures.method,
        **{name: _dollars(getattr(figures, name)) for name in _FIGURES_MONEY},
    }


def cob_figures_from_dict(data: Mapping[str, Any] | None) -> CobFigures | None:
    """The inverse of ``cob_figures_to_dict``."""
    if data is None:
        return None
    money = {name: _cents(data[name]) for name in _FIGURES_MONEY}
    return CobFigures(payer_seq=data["payer_seq"], method=data["method"], **money)  # type: ignore[arg-type]


def other_payers_to_dicts(payers: Iterable[OtherPayerInfo]) -> list[dict[str, Any]]:
    """The other payers a decision reports (response segment 28)."""
    return [
        {
            "coverage_type": p.coverage_type,
            "bin": p.bin,
            "pcn": p.pcn,
            "cardholder_id": p.cardholder_id,
            "group": p.group,
            "person_code": p.person_code,
            "help_desk_phone": p.help_desk_phone,
            "relationship": p.relationship,
            "start": p.start.isoformat(),
            "end": p.end.isoformat() if p.end else None,
        }
        for p in payers
    ]


def other_payers_from_dicts(data: Iterable[Mapping[str, Any]]) -> tuple[OtherPayerInfo, ...]:
    """The inverse of ``other_payers_to_dicts``."""
    return tuple(
        OtherPayerInfo(
            coverage_type=p["coverage_type"],
            bin=p["bin"],
            pcn=p["pcn"],
            cardholder_id=p["cardholder_id"],
            group=p["group"],
            person_code=p["person_code"],
            help_desk_phone=p["help_desk_phone"],
            relationship=p["relationship"],
            start=dt.date.fromisoformat(p["start"]),
            end=_day(p["end"]),
        )
        for p in data
    )


def _amounts_to_dicts(amounts: Iterable[QualifiedAmount]) -> list[dict[str, Any]]:
    return [{"qualifier": a.qualifier, "amount": _dollars(a.amount)} for a in amounts]


def _amounts_from_dicts(data: Iterable[Mapping[str, Any]]) -> tuple[QualifiedAmount, ...]:
    return tuple(QualifiedAmount(a["qualifier"], _cents(a["amount"])) for a in data)


def other_payer_results_to_dicts(results: Iterable[OtherPayerResult]) -> list[dict[str, Any]]:
    """A claim's COB segment occurrences, as the ledger keeps the request."""
    return [
        {
            "coverage_type": r.coverage_type,
            "id_qualifier": r.id_qualifier,
            "payer_id": r.payer_id,
            "date": r.date.isoformat() if r.date else None,
            "amounts_paid": _amounts_to_dicts(r.amounts_paid),
            "reject_codes": list(r.reject_codes),
            "patient_responsibility": _amounts_to_dicts(r.patient_responsibility),
        }
        for r in results
    ]


def other_payer_results_from_dicts(
    data: Iterable[Mapping[str, Any]],
) -> tuple[OtherPayerResult, ...]:
    """The inverse of ``other_payer_results_to_dicts``."""
    return tuple(
        OtherPayerResult(
            coverage_type=r["coverage_type"],
            id_qualifier=r["id_qualifier"],
            payer_id=r["payer_id"],
            date=_day(r["date"]),
            amounts_paid=_amounts_from_dicts(r["amounts_paid"]),
            reject_codes=tuple(r["reject_codes"]),
            patient_responsibility=_amounts_from_dicts(r["patient_responsibility"]),
        )
        for r in data
    )
