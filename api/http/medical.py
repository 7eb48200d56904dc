"""Medical accumulator transactions from the medical carrier: one at a time or in batches.

Each transaction carries the carrier's own id and is applied at most once: sending
it again answers "duplicate" and changes nothing. For plans that integrate medical
and pharmacy, it changes the very next pharmacy claim's cost share.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from litestar import Controller, Request, post
from litestar.exceptions import ServiceUnavailableException
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from api.http.errors import WITH_REFUSAL
from api.http.keys import Role
from api.http.security import SECURITY, allow
from api.runtime import Runtime
from engine.loading.medical import record_medical
from engine.medical import MedicalTxn
from engine.money import MoneyError, parse_dollars

__all__ = ["MedicalController", "MedicalIn"]


def _cents(value: Any) -> int:
    try:
        return parse_dollars(value)
    except MoneyError as exc:
        raise ValueError(str(exc)) from exc


class MedicalIn(BaseModel):
    """A medical claim's deductible and out-of-pocket amounts, in dollars."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: str = Field(min_length=1, max_length=100)
    cardholder_id: str = Field(min_length=1, max_length=20)
    person_code: Annotated[str, StringConstraints(pattern=r"^\d{3}$")]
    date_of_service: dt.date
    deductible: Annotated[int, BeforeValidator(_cents)]
    out_of_pocket: Annotated[int, BeforeValidator(_cents)]
    reverses: str | None = Field(default=None, max_length=100)

    def to_txn(self) -> MedicalTxn:
        """The engine's medical transaction."""
        return MedicalTxn(
            self.id,
            self.cardholder_id,
            self.person_code,
            self.date_of_service,
            self.deductible,
            self.out_of_pocket,
            self.reverses,
        )


def _apply(runtime: Runtime, item: MedicalIn) -> dict[str, Any]:
    if runtime.sql is None:
        raise ServiceUnavailableException("medical transactions need the ledger")
    result = record_medical(
        item.to_txn(),
        runtime.processor.catalog,
        runtime.members,
        runtime.accumulators,
        runtime.sql,
    )
    return {
        "id": item.id,
        "outcome": result.outcome.value,
        "plan_year_start": result.family.plan_year.isoformat() if result.family else None,
        "reason": result.reason,
    }


class MedicalController(Controller):
    """Medical accumulator transactions."""

    path = "/v1/medical-accumulators"
    security = SECURITY
    tags = ("medical accumulators",)

    @post(
        "",
        guards=[allow(Role.FINANCE)],
        raises=WITH_REFUSAL,
        sync_to_thread=True,
        status_code=HTTP_200_OK,
        summary="Apply one medical accumulator transaction (idempotent by id)",
    )
    def one(self, request: Request[Any, Any, Any], data: JSONBody[MedicalIn]) -> dict[str, Any]:
        """Apply one transaction; the outcome is accepted, duplicate or rejected."""
        return _apply(request.app.state.runtime, data)

    @post(
        "/batch",
        guards=[allow(Role.FINANCE)],
        raises=WITH_REFUSAL,
        sync_to_thread=True,
        status_code=HTTP_200_OK,
        summary="Apply many medical accumulator transactions; each gets its own outcome",
    )
    def batch(
        self, request: Request[Any, Any, Any], data: JSONBody[list[MedicalIn]]
    ) -> dict[str, Any]:
        """Apply each transaction in order; a bad one never stops the rest."""
        runtime: Runtime = request.app.state.runtime
        results = [_apply(runtime, item) for item in data]
        counts = {outcome: 0 for outcome in ("accepted", "duplicate", "rejected")}
        for result in results:
            counts[result["outcome"]] += 1
        return {**counts, "results": results}
