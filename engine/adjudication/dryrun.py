"""Dry runs: what a candidate catalog would change, replayed on real claims.

An analyst about to publish a new plan version wants to see, before any member
does, every claim whose outcome would differ. The stored claims (and the medical
accumulator transactions between them) are replayed twice on fresh in-memory
stores — once under the catalog in force, once under the candidate — so both runs
see the accumulators their own earlier decisions built, and nothing real changes.
Comparing the two replays (rather than the candidate against stored decisions)
keeps differences that come from the candidate apart from any that come from
eligibility or medical feeds changing since.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from engine.adjudication.decision import Decision
from engine.adjudication.processor import ClaimProcessor
from engine.catalog.catalog import Catalog
from engine.claim import ClaimRequest
from engine.medical import MedicalTxn, apply_medical
from engine.plans.members import MemberDirectory
from engine.store.memory import MemoryAccumulatorStore, MemoryClaimLedger

__all__ = ["ClaimEvent", "Difference", "DryRun", "dry_run"]


@dataclass(frozen=True, slots=True)
class ClaimEvent:
    """A stored claim transaction and the date it was processed."""

    claim: ClaimRequest
    received: dt.date


@dataclass(frozen=True, slots=True)
class Difference:
    """One claim whose outcome the candidate changes."""

    claim_key: str | None
    transaction_code: str
    date_of_service: dt.date
    current_status: str
    candidate_status: str
    current_rejects: tuple[str, ...]
    candidate_rejects: tuple[str, ...]
    current_patient_pay: int | None
    candidate_patient_pay: int | None
    current_plan_pay: int | None
    candidate_plan_pay: int | None


@dataclass(frozen=True, slots=True)
class DryRun:
    """How many claims in the window were replayed, and every difference among them."""

    replayed: int
    differences: tuple[Difference, ...]


def _summary(decision: Decision) -> tuple[str, tuple[str, ...], int | None, int | None]:
    figures = decision.figures
    return (
        decision.status,
        tuple(r.code.code for r in decision.rejects),
        figures.patient_pay if figures else None,
        figures.plan_pay if figures else None,
    )


def dry_run(
    events: Iterable[ClaimEvent | MedicalTxn],
    current: Catalog,
    candidate: Catalog,
    members: MemberDirectory,
    window: tuple[dt.date, dt.date],
) -> DryRun:
    """Replay ``events`` (in processing order) under both catalogs; compare the window's claims.

    Events before the window still replay, so each claim in it meets the accumulators
    and fill history its family really had; only claims dated inside it are compared.
    """
    runs = [
        ClaimProcessor(catalog, MemoryAccumulatorStore(), MemoryClaimLedger(), members)
        for catalog in (current, candidate)
    ]
    replayed = 0
    differences: list[Difference] = []
    for event in events:
        if isinstance(event, MedicalTxn):
            for run in runs:
                apply_medical(event, run.catalog, members, run.accumulators)
            continue
        before, after = (run.process(event.claim, event.received) for run in runs)
        if not window[0] <= event.claim.date_of_service <= window[1]:
            continue
        replayed += 1
        old, new = _summary(before), _summary(after)
        if old != new:
            differences.append(
                Difference(
                    claim_key=before.claim_key or after.claim_key,
                    transaction_code=event.claim.transaction_code,
                    date_of_service=event.claim.date_of_service,
                    current_status=old[0],
                    candidate_status=new[0],
                    current_rejects=old[1],
                    candidate_rejects=new[1],
                    current_patient_pay=old[2],
                    candidate_patient_pay=new[2],
                    current_plan_pay=old[3],
                    candidate_plan_pay=new[3],
                )
            )
    return DryRun(replayed, tuple(differences))
