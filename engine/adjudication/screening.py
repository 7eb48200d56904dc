"""Screening: everything a claim must pass before its benefit is looked at.

Routing to a plan version, the fields the transaction requires, the request edits,
the member lookup, the eligibility edits and, for a bill, coordination of benefits
(this plan's place among the member's payers and the claim's Other Coverage Code)
— pure, in that order, stopping at the first step that rejects.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal

from engine.adjudication.decision import Reject, Versions
from engine.adjudication.eligibility import (
    Eligibility,
    claim_facts,
    find_plan_version,
    resolve_member,
)
from engine.catalog.catalog import Catalog
from engine.claim import ClaimRequest
from engine.cob.figures import OtherPayerInfo
from engine.cob.occ import coordinate
from engine.edits.facts import ClaimFacts
from engine.plans.members import MemberDirectory

__all__ = ["Screened", "screen"]


@dataclass(slots=True)
class Screened:
    """An eligible claim with its facts, or the rejects; with the versions used so far."""

    eligibility: Eligibility | None = None
    facts: ClaimFacts | None = None
    rejects: list[Reject] = field(default_factory=list)
    versions: Versions | None = None
    other_payers: tuple[OtherPayerInfo, ...] = ()
    """The member's other payers, for a reject that sends the pharmacy to them."""


def _eligibility_facts(claim: ClaimRequest, received: dt.date) -> ClaimFacts:
    """Claim facts for an E1, which carries no claim segment: quantities are zero."""
    return claim_facts(
        replace(
            claim,
            ndc=claim.ndc or "",
            quantity=claim.quantity or Decimal(0),
            days_supply=0,
            rx_number=0,
            fill_number=0,
        ),
        received,
    )


def screen(
    claim: ClaimRequest,
    received: dt.date,
    catalog: Catalog,
    members: MemberDirectory,
    kind: str,
) -> Screened:
    """Run the checks that precede billing; ``kind`` is billing or eligibility."""
    runtime, rejects = find_plan_version(catalog, claim)
    if runtime is None:
        return Screened(rejects=rejects)
    versions = Versions(plan=runtime.id, edits=runtime.edits.id)
    rejects = runtime.edits.missing(kind, claim)
    if rejects:
        return Screened(rejects=rejects, versions=versions)
    facts = (
        claim_facts(claim, received) if kind == "billing" else _eligibility_facts(claim, received)
    )
    if kind == "billing":
        rejects = runtime.edits.evaluate("request", facts)
        if rejects:
            return Screened(rejects=rejects, versions=versions)
    eligibility, rejects = resolve_member(claim, runtime, members)
    if eligibility is None:
        return Screened(rejects=rejects, versions=versions)
    rejects = runtime.edits.evaluate("eligibility", facts, eligibility.member, eligibility.plan)
    if rejects:
        return Screened(rejects=rejects, versions=versions)
    if kind == "billing":
        person = eligibility.person.person_code
        coordination, rejects, others = coordinate(claim, eligibility.cob_order, person)
        if rejects:
            return Screened(rejects=rejects, versions=versions, other_payers=others)
        if coordination is not None:
            eligibility = replace(eligibility, coordination=coordination)
    return Screened(eligibility, facts, [], versions)
