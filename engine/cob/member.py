"""A member's coverages on a date of service, as the order rules see them.

This plan's own coverage is described from the family and the plan file: its kind
from the plan (Part D is Medicare, an individual-market plan individual coverage,
any other a group health plan), the patient's relationship from their person
record, the subscriber's birthday from the cardholder's, employment facts from the
family's ``cob`` block. Other coverages come from that block.
"""

from __future__ import annotations

import datetime as dt

from engine.cob.coverage import OtherCoverage
from engine.cob.figures import OtherPayerInfo
from engine.cob.order import CobOrder, CoverageView, Patient, determine_order
from engine.cob.payers import Employment, PayerKind
from engine.plans.members import Coverage, Family, Person
from engine.plans.plan import Market, PlanType, PlanVersion

__all__ = ["member_order", "order_notes", "other_payer_infos", "plan_kind"]

_PLACES = {1: "primary", 2: "secondary", 3: "tertiary"}


def plan_kind(plan: PlanVersion) -> PayerKind:
    """What kind of coverage a plan of rxadj's is, for the order rules."""
    if plan.type is PlanType.MEDICARE_PART_D:
        return PayerKind.MEDICARE
    if plan.market is Market.INDIVIDUAL:
        return PayerKind.INDIVIDUAL
    return PayerKind.GROUP_HEALTH


def _employment(kind: PayerKind, stated: Employment | None) -> Employment | None:
    """Group health coverage is through active employment unless the file says otherwise."""
    if kind is not PayerKind.GROUP_HEALTH:
        return None
    return stated or Employment.ACTIVE


def _own_view(
    family: Family, person: Person, coverage: Coverage, plan: PlanVersion
) -> CoverageView:
    kind = plan_kind(plan)
    cob = family.cob
    subscriber = next((p for p in family.persons.values() if p.relationship == "1"), None)
    return CoverageView(
        label=f"this plan ({plan.plan})",
        kind=kind,
        relationship=person.relationship,
        start=coverage.start,
        employment=_employment(kind, cob.employment if cob else None),
        employer_size=cob.employer_size if cob else None,
        subscriber_birthday=(
            (subscriber.date_of_birth.month, subscriber.date_of_birth.day) if subscriber else None
        ),
        custody=cob.custody if cob else None,
    )


def _other_view(coverage: OtherCoverage, person_code: str) -> CoverageView:
    return CoverageView(
        label=coverage.label,
        kind=coverage.kind,
        relationship=coverage.persons[person_code].relationship,
        start=coverage.start,
        employment=_employment(coverage.kind, coverage.employment),
        employer_size=coverage.employer_size,
        subscriber_birthday=coverage.subscriber_birthday,
        custody=coverage.custody,
        pinned=coverage.order,
        other=coverage,
    )


def member_order(
    family: Family,
    person: Person,
    coverage: Coverage | None,
    plan: PlanVersion,
    day: dt.date,
    age: int,
) -> CobOrder | None:
    """Place this plan for the person on ``day``; None when no other coverage is in force."""
    cob = family.cob
    if cob is None or coverage is None:
        return None
    others = cob.other_coverage_for(person.person_code, day)
    if not others:
        return None
    views = [
        _own_view(family, person, coverage, plan),
        *(_other_view(c, person.person_code) for c in others),
    ]
    patient = Patient(day, age, cob.medicare.get(person.person_code))
    return determine_order(views, patient)


def other_payer_infos(order: CobOrder | None, person_code: str) -> tuple[OtherPayerInfo, ...]:
    """The other payers in force, by place, for the response's COB segment (28)."""
    if order is None:
        return ()
    infos = []
    for placed in order.others:
        coverage = placed.coverage.other
        assert coverage is not None
        covered = coverage.persons[person_code]
        infos.append(
            OtherPayerInfo(
                coverage_type=f"{placed.position:02d}",
                bin=coverage.bin,
                pcn=coverage.pcn,
                cardholder_id=coverage.cardholder_id,
                group=coverage.group,
                person_code=covered.other_person_code,
                help_desk_phone=coverage.help_desk_phone,
                relationship=covered.relationship,
                start=coverage.start,
                end=coverage.end,
            )
        )
    return tuple(infos)


def order_notes(order: CobOrder | None) -> tuple[str, ...]:
    """What an eligibility answer says about this plan's place (and the rule that set it)."""
    if order is None:
        return ()
    if order.position is None:
        return (f"coordination of benefits order undetermined: {order.problem}",)
    return (f"this plan pays {_PLACES[order.position]} by rule {order.rule}",)
