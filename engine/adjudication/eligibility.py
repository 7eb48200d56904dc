"""Routing and eligibility: from a claim to the plan version, member and family it concerns.

Routing (BIN, PCN, group → plan) and identity (cardholder id, person code) are the
engine's own checks, with the standard reject codes; coverage dates, birth date and
ages are edit rules of the plan version's eligibility phase, so analysts can see
and change them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from engine.accumulators import FamilyKey
from engine.adjudication.decision import Reject
from engine.catalog.catalog import Catalog, PlanRuntime
from engine.claim import ClaimRequest
from engine.cob.member import member_order
from engine.cob.occ import Coordination
from engine.cob.order import CobOrder
from engine.edits.facts import ClaimFacts, MemberFacts, PlanFacts
from engine.ncpdp.rejects import RejectCode
from engine.plans.members import Coverage, Family, MemberDirectory, Person
from engine.priorauth.model import PriorAuthorization

__all__ = ["Eligibility", "age_on", "claim_facts", "find_plan_version", "resolve_member"]


@dataclass(slots=True)
class Eligibility:
    """Who the claim is for and under which coverage, resolved once per claim."""

    runtime: PlanRuntime
    family: Family
    person: Person
    coverage: Coverage | None
    key: FamilyKey
    member: MemberFacts
    plan: PlanFacts
    authorizations: tuple[PriorAuthorization, ...] = ()
    """The person's prior authorizations on file (revoked ones too)."""
    cob_order: CobOrder | None = None
    """This plan's place among the person's coverages; None with no other coverage."""
    coordination: Coordination | None = None
    """For a bill: this plan's place for the claim and the earlier payers' results."""


def age_on(born: dt.date, day: dt.date) -> int:
    """Age in whole years on ``day`` (a 29 February birthday turns over on 1 March)."""
    years = day.year - born.year
    if (day.month, day.day) < (born.month, born.day):
        years -= 1
    return years


def find_plan_version(
    catalog: Catalog, claim: ClaimRequest
) -> tuple[PlanRuntime | None, list[Reject]]:
    """Route the claim to a plan and pick the version in effect on its date of service."""
    route = catalog.route(claim.bin, claim.pcn, claim.group_id)
    if route.plan_id is None:
        assert route.reject is not None
        return None, [Reject(route.reject, route.reject.text, "routing", route.field_id)]
    runtime = catalog.plan_version(route.plan_id, claim.date_of_service)
    if runtime is not None:
        return runtime, []
    versions = catalog.plan_versions(route.plan_id)
    before = claim.date_of_service < versions[0].effective.from_
    code = (
        RejectCode.FILLED_BEFORE_COVERAGE_EFFECTIVE
        if before
        else RejectCode.FILLED_AFTER_COVERAGE_EXPIRED
    )
    message = f"no version of plan {route.plan_id} is in effect on {claim.date_of_service}"
    return None, [Reject(code, message, "plan-version", "401-D1")]


def claim_facts(claim: ClaimRequest, received: dt.date) -> ClaimFacts:
    """The claim as edit conditions see it (required fields are known to be present)."""
    assert claim.ndc is not None and claim.quantity is not None
    assert claim.days_supply is not None and claim.rx_number is not None
    assert claim.fill_number is not None
    return ClaimFacts(
        transaction_code=claim.transaction_code,
        date_of_service=claim.date_of_service,
        received_date=received,
        ndc=claim.ndc,
        product_id_qualifier=claim.product_id_qualifier or "",
        quantity=claim.quantity,
        days_supply=claim.days_supply,
        rx_number=claim.rx_number,
        fill_number=claim.fill_number,
        daw=claim.daw or "",
        compound_code=claim.compound_code or "",
        date_of_birth=claim.date_of_birth,
        gender_code=claim.gender_code or "",
        date_written=claim.date_written,
        refills_authorized=claim.refills_authorized,
        submission_clarification_codes=frozenset(claim.submission_clarification_codes),
        other_coverage_code=claim.other_coverage_code or "",
        pa_number=claim.pa_number or "",
        prescriber_id=claim.prescriber_id or "",
        usual_and_customary=claim.usual_and_customary,
        gross_amount_due=claim.gross_amount_due,
        ingredient_cost_submitted=claim.ingredient_cost_submitted,
    )


def resolve_member(
    claim: ClaimRequest, runtime: PlanRuntime, members: MemberDirectory
) -> tuple[Eligibility | None, list[Reject]]:
    """Find the family and person, and the coverage record nearest the date of service."""
    assert claim.cardholder_id is not None and claim.person_code is not None
    family = members.family(claim.cardholder_id.strip())
    if family is None:
        return None, [
            Reject(
                RejectCode.NON_MATCHED_CARDHOLDER_ID,
                "cardholder id not on file",
                "eligibility",
                "302-C2",
            )
        ]
    person = family.persons.get(claim.person_code.strip())
    if person is None:
        return None, [
            Reject(
                RejectCode.NON_MATCHED_PERSON_CODE,
                "person code not on file for this cardholder",
                "eligibility",
                "303-C3",
            )
        ]
    coverage = family.coverage_for(person.person_code, runtime.plan.plan, claim.date_of_service)
    day = claim.date_of_service
    member = MemberFacts(
        person_code=person.person_code,
        relationship=person.relationship,
        age=age_on(person.date_of_birth, day),
        gender=person.gender,
        date_of_birth=person.date_of_birth,
        covered=coverage is not None,
        coverage_start=coverage.start if coverage else None,
        coverage_end=coverage.end if coverage else None,
        self_only=coverage is None or len(coverage.persons) == 1,
    )
    key = FamilyKey(family.cardholder_id, runtime.plan.plan_year_start_for(day))
    cob_order = (
        member_order(family, person, coverage, runtime.plan, day, member.age)
        if family.cob is not None
        else None
    )
    eligibility = Eligibility(
        runtime, family, person, coverage, key, member, runtime.facts, cob_order=cob_order
    )
    return eligibility, []
