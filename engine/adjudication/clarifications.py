"""Submission clarification codes that lift benefit edits, within the plan's allowance.

The pharmacist sends a code (420-DK) saying why the claim should pay despite an
edit: a vacation supply or a lost prescription before the refill is due. The plan
file says which codes lift which rules and how many times per period a member may
use them (``clarification_overrides``). A lifted reject is recorded on the claim
and the codes used are kept on its fill, so the next claim counts them; a
reversed claim gives its use back with its fill.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

from engine.accumulators import Fill
from engine.adjudication.decision import Reject
from engine.plans.plan import ClarificationOverride

__all__ = ["Clarified", "lift_with_clarifications"]


@dataclass(frozen=True, slots=True)
class Clarified:
    """The rejects left, the codes the fill keeps, and each override as recorded."""

    rejects: list[Reject]
    codes: tuple[str, ...] = ()
    overrides: tuple[str, ...] = ()


def _uses(fills: Sequence[Fill], person: str, override: ClarificationOverride, day: dt.date) -> int:
    assert override.per_days is not None
    since = day - dt.timedelta(days=override.per_days - 1)
    return sum(
        1
        for fill in fills
        if fill.person_code == person
        and since <= fill.date_of_service <= day
        and override.codes.intersection(fill.clarifications)
    )


def lift_with_clarifications(
    rejects: list[Reject],
    submitted: Sequence[str],
    overrides: Sequence[ClarificationOverride],
    fills: Sequence[Fill],
    person: str,
    day: dt.date,
) -> Clarified:
    """Lift what the submitted codes may lift; the claim pays only if nothing is left."""
    codes = frozenset(submitted)
    if not rejects or not codes or not overrides:
        return Clarified(rejects)
    left: list[Reject] = []
    used: set[str] = set()
    records: list[str] = []
    for reject in rejects:
        override = next((o for o in overrides if reject.rule in o.lifts and o.codes & codes), None)
        if override is None:
            left.append(reject)
            continue
        code = min(override.codes & codes)
        lifted = f"{reject.rule} ({reject.code.code}) lifted by clarification code {code}"
        if override.limit is not None:
            count = _uses(fills, person, override, day)
            if count >= override.limit:
                left.append(
                    replace(
                        reject,
                        message=f"{reject.message}; clarification code {code} already used "
                        f"{count} time(s) in {override.per_days} days (allowed {override.limit})",
                    )
                )
                continue
            lifted += f", use {count + 1} of {override.limit} in {override.per_days} days"
        used.add(code)
        records.append(lifted)
    if left:
        return Clarified(left)
    return Clarified([], tuple(sorted(used)), tuple(records))
