"""Member endpoints: eligibility, and the real-time "member out of pocket" answer.

Accumulators are shown the way member services explains them: for the deductible
and the out-of-pocket maximum, what the person and the family have met from
pharmacy and from medical claims, what counts toward the plan's limit (both, when
the plan integrates them), the limits, and what remains — the same figures the next
claim would be priced against, including any mandated ceiling.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from litestar import Controller, Request, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter

from api.http.errors import WITH_LOOKUP
from api.http.keys import Role
from api.http.security import SECURITY, allow
from api.runtime import Runtime
from engine.accumulators import DEDUCTIBLE, MEDICAL, OUT_OF_POCKET, PHARMACY, FamilyKey
from engine.adjudication.limits import sources_for, view_limit
from engine.money import cents_to_dollars
from engine.plans.members import Family
from engine.store.base import read_fresh

__all__ = ["MemberController"]


def _dollars(cents: int | None) -> str | None:
    return None if cents is None else str(cents_to_dollars(cents))


def _family(runtime: Runtime, cardholder_id: str) -> Family:
    family = runtime.members.family(cardholder_id)
    if family is None:
        raise NotFoundException("no member with this cardholder id")
    return family


class MemberController(Controller):
    """Eligibility and accumulators, for member services."""

    path = "/v1/members"
    security = SECURITY
    tags = ("members",)

    @get(
        "/{cardholder_id:str}",
        guards=[allow(Role.MEMBER_SERVICES, Role.SWITCH)],
        raises=WITH_LOOKUP,
        sync_to_thread=True,
        summary="Eligibility: the family's persons and coverage records",
    )
    def eligibility(
        self, request: Request[Any, Any, Any], cardholder_id: FromPath[str]
    ) -> dict[str, Any]:
        """Persons and coverage records of a family."""
        runtime: Runtime = request.app.state.runtime
        family = _family(runtime, cardholder_id)
        return {
            "cardholder_id": family.cardholder_id,
            "persons": [
                {
                    "person_code": p.person_code,
                    "relationship": p.relationship,
                    "first_name": p.first_name,
                    "last_name": p.last_name,
                    "date_of_birth": p.date_of_birth.isoformat(),
                    "gender": p.gender,
                }
                for p in family.persons.values()
            ],
            "coverages": [
                {
                    "plan": c.plan,
                    "group": c.group,
                    "start": c.start.isoformat(),
                    "end": c.end.isoformat() if c.end else None,
                    "persons": sorted(c.persons),
                }
                for c in family.coverages
            ],
        }

    @get(
        "/{cardholder_id:str}/accumulators",
        guards=[allow(Role.MEMBER_SERVICES)],
        raises=WITH_LOOKUP,
        sync_to_thread=True,
        summary="Deductible and out-of-pocket met and remaining, pharmacy and medical",
    )
    def accumulators(
        self,
        request: Request[Any, Any, Any],
        cardholder_id: FromPath[str],
        person_code: Annotated[
            str, QueryParameter(pattern=r"^\d{3}$", description="the person's code on the card")
        ] = "001",
        on: Annotated[
            dt.date | None, QueryParameter(name="date", description="default: today")
        ] = None,
    ) -> dict[str, Any]:
        """The person's and family's accumulators in the plan year containing ``on``."""
        runtime: Runtime = request.app.state.runtime
        family = _family(runtime, cardholder_id)
        day = on or dt.date.today()
        if person_code not in family.persons:
            raise NotFoundException("no person with this code in the family")
        coverage = next(
            (c for c in family.coverages if person_code in c.persons and c.covers(day)), None
        )
        if coverage is None:
            raise NotFoundException("the person has no coverage on this date")
        plan_runtime = runtime.processor.catalog.plan_version(coverage.plan, day)
        if plan_runtime is None:
            raise NotFoundException("no version of the person's plan is in effect on this date")
        plan = plan_runtime.plan
        key = FamilyKey(cardholder_id, plan.plan_year_start_for(day))
        snapshot = read_fresh(runtime.accumulators, key)
        self_only = len(coverage.persons) == 1
        buckets: dict[str, Any] = {}
        for name, bucket, limit in (
            ("deductible", DEDUCTIBLE, plan.deductible),
            ("out_of_pocket", OUT_OF_POCKET, plan.out_of_pocket),
        ):
            if limit is None:
                buckets[name] = None
                continue
            ceiling = plan_runtime.mandates.ceiling if bucket == OUT_OF_POCKET else None
            view = view_limit(limit, bucket, snapshot, person_code, self_only, ceiling)
            buckets[name] = {
                "integrated_with_medical": limit.integrated_with_medical,
                "embedded": limit.embedded,
                "individual_limit": _dollars(limit.individual),
                "family_limit": _dollars(limit.family),
                "person": {
                    "pharmacy": _dollars(snapshot.met(bucket, (PHARMACY,), person_code)),
                    "medical": _dollars(snapshot.met(bucket, (MEDICAL,), person_code)),
                    "counted": _dollars(snapshot.met(bucket, sources_for(limit), person_code)),
                },
                "family": {
                    "pharmacy": _dollars(snapshot.met(bucket, (PHARMACY,))),
                    "medical": _dollars(snapshot.met(bucket, (MEDICAL,))),
                    "counted": _dollars(snapshot.met(bucket, sources_for(limit))),
                },
                "remaining": _dollars(view.remaining),
                "family_remaining": _dollars(view.family_remaining),
            }
        return {
            "cardholder_id": cardholder_id,
            "person_code": person_code,
            "plan": plan_runtime.id,
            "plan_year_start": key.plan_year.isoformat(),
            "self_only": self_only,
            **buckets,
        }
