"""What remains of a deductible or out-of-pocket maximum for one person, from a snapshot.

Embedded: a person is done when they meet the individual amount or the family
meets the family amount, whichever comes first. Aggregate: only the family amount
counts. Self-only coverage: the individual amount (or, if the plan states only a
family amount, that one). Integrated plans count medical amounts too.

A :class:`Ceiling` carries the mandated limits over the plan's own (the ACA self-only
limit for every person, say): the lower amount wins, whatever the plan file says.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.accumulators import MEDICAL, PHARMACY, Snapshot
from engine.plans.plan import Deductible, OutOfPocket

__all__ = ["Ceiling", "LimitView", "sources_for", "view_after", "view_limit"]


@dataclass(slots=True)
class LimitView:
    """One limit seen from one person: met so far and what remains, individual and family."""

    person_met: int
    family_met: int
    remaining: int
    family_remaining: int | None


@dataclass(frozen=True, slots=True)
class Ceiling:
    """Mandated ceilings over a plan's limit: self-only coverage, each person, the family."""

    self_only: int | None = None
    person: int | None = None
    """Each person in family coverage: the ACA embedded self-only limit."""
    family: int | None = None


def sources_for(limit: Deductible | OutOfPocket) -> tuple[str, ...]:
    """The accumulator sources a limit counts: pharmacy, and medical when integrated."""
    return (PHARMACY, MEDICAL) if limit.integrated_with_medical else (PHARMACY,)


def _view(
    limit: Deductible | OutOfPocket,
    person_met: int,
    family_met: int,
    self_only: bool,
    ceiling: Ceiling | None,
) -> LimitView:
    if self_only:
        amount = limit.individual if limit.individual is not None else limit.family
        assert amount is not None
        if ceiling is not None and ceiling.self_only is not None:
            amount = min(amount, ceiling.self_only)
        return LimitView(person_met, person_met, max(0, amount - person_met), None)
    candidates = []
    if limit.embedded and limit.individual is not None:
        candidates.append(limit.individual - person_met)
    family = limit.family
    if ceiling is not None:
        if ceiling.person is not None:
            candidates.append(ceiling.person - person_met)
        if ceiling.family is not None:
            family = ceiling.family if family is None else min(family, ceiling.family)
    family_remaining = None
    if family is not None:
        family_remaining = max(0, family - family_met)
        candidates.append(family_remaining)
    return LimitView(person_met, family_met, max(0, min(candidates)), family_remaining)


def view_limit(
    limit: Deductible | OutOfPocket,
    bucket: str,
    snapshot: Snapshot,
    person_code: str,
    self_only: bool,
    ceiling: Ceiling | None = None,
) -> LimitView:
    """What the person has met and what remains of ``limit`` before this claim."""
    sources = sources_for(limit)
    person_met = snapshot.met(bucket, sources, person_code)
    family_met = snapshot.met(bucket, sources)
    return _view(limit, person_met, family_met, self_only, ceiling)


def view_after(
    limit: Deductible | OutOfPocket,
    before: LimitView,
    credit: int,
    self_only: bool,
    ceiling: Ceiling | None = None,
) -> LimitView:
    """The same view once ``credit`` more has been met by this person."""
    return _view(limit, before.person_met + credit, before.family_met + credit, self_only, ceiling)
