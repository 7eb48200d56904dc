"""What is printed on a member's card: the routing a pharmacy bills with.

The demo, the load generator and the tests build claims the way a pharmacy does —
from the member's card (BIN, PCN, group, cardholder id, person code) — so they look
it up here from eligibility instead of keeping their own copies of it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from engine.catalog.catalog import Catalog
from engine.plans.members import MemberDirectory

__all__ = ["MemberCard", "member_card"]


@dataclass(frozen=True, slots=True)
class MemberCard:
    """The routing and identity a claim for this person carries."""

    bin: str
    pcn: str
    group: str
    cardholder_id: str
    person_code: str
    date_of_birth: dt.date
    gender: str


def member_card(
    catalog: Catalog,
    members: MemberDirectory,
    cardholder_id: str,
    person_code: str,
    day: dt.date,
) -> MemberCard | None:
    """The card of a person covered on ``day`` (the latest coverage record otherwise)."""
    family = members.family(cardholder_id)
    person = family.persons.get(person_code) if family else None
    if family is None or person is None:
        return None
    records = [c for c in family.coverages if person_code in c.persons]
    if not records:
        return None
    in_force = [c for c in records if c.covers(day)]
    coverage = in_force[0] if in_force else max(records, key=lambda c: c.start)
    versions = catalog.plan_versions(coverage.plan)
    if not versions:
        return None
    routing = versions[-1].plan.routing
    return MemberCard(
        bin=routing.bin,
        pcn=routing.pcn,
        group=coverage.group,
        cardholder_id=cardholder_id,
        person_code=person_code,
        date_of_birth=person.date_of_birth,
        gender=person.gender,
    )
