"""Prior authorizations at adjudication: which approval applies, and what it changes.

An approval does not switch edits off one by one after they fired: it changes the
facts the edits read, for this member and drug only. Lifting the PA requirement
makes ``drug.pa_required`` false; lifting the quantity limit replaces it with the
approved quantity per days, so the ordinary quantity-limit edit still rejects a
claim beyond what was approved (76, plan limitations exceeded); a days-supply
approval replaces the channel's maximum the same way; a tier exception prices the
claim at the approved tier's cost share (and, for a drug off the formulary,
covers it there). Every change is written to the claim's trace with the PA number.

When the pharmacy submits a PA number (462-EV, type 461-EU ``1``) that approval
must be the member's, for this drug, in force on the date of service; otherwise
the claim is rejected (EU, EV or 64). Without a number, the most specific approval
in force applies: an NDC's before a drug group's before a class's, the latest first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from engine.adjudication.decision import Reject
from engine.claim import ClaimRequest
from engine.edits.facts import BenefitFacts, DrugFacts
from engine.ncpdp.rejects import RejectCode
from engine.plans.formulary import Drug
from engine.priorauth.model import Lift, PriorAuthorization

__all__ = ["Authorized", "approved_tier", "authorize", "find_authorization"]

_PA_TYPE = "1"
"""461-EU: the number submitted is a prior authorization."""
_RULE = "prior-authorization-on-file"


def _reject(code: RejectCode, message: str, field: str = "462-EV") -> Reject:
    return Reject(code, message, _RULE, field)


def find_authorization(
    claim: ClaimRequest, drug: Drug | None, authorizations: Sequence[PriorAuthorization]
) -> tuple[PriorAuthorization | None, Reject | None]:
    """The approval that applies to the claim, or the reject a submitted number earns."""
    ndc = claim.ndc or ""
    day = claim.date_of_service
    group = drug.group if drug is not None else None
    classes = drug.classes if drug is not None else frozenset()
    if claim.pa_number:
        if claim.pa_type_code != _PA_TYPE:
            return None, _reject(
                RejectCode.MI_PRIOR_AUTHORIZATION_TYPE_CODE,
                f"a PA number needs prior authorization type code 1, got {claim.pa_type_code!r}",
                "461-EU",
            )
        number = claim.pa_number.lstrip("0") or "0"
        submitted = next((pa for pa in authorizations if pa.number == number), None)
        if submitted is None:
            return None, _reject(
                RejectCode.MI_PRIOR_AUTHORIZATION_NUMBER_SUBMITTED,
                f"PA {number} is not on file for this member",
            )
        if not submitted.covers_drug(ndc, group, classes):
            return None, _reject(
                RejectCode.CLAIM_SUBMITTED_DOES_NOT_MATCH_PRIOR_AUTHORIZATION,
                f"PA {number} approves {submitted.drug}, not NDC {ndc}",
            )
        if not submitted.in_force(day):
            return None, _reject(
                RejectCode.CLAIM_SUBMITTED_DOES_NOT_MATCH_PRIOR_AUTHORIZATION,
                f"PA {number} is not in force on {day}: {_dates(submitted)}",
            )
        return submitted, None
    matching = [
        pa for pa in authorizations if pa.in_force(day) and pa.covers_drug(ndc, group, classes)
    ]
    if not matching:
        return None, None
    return max(matching, key=lambda pa: (pa.specificity, pa.start, pa.number)), None


def _dates(pa: PriorAuthorization) -> str:
    if pa.revoked_on is not None:
        return f"revoked on {pa.revoked_on}"
    return f"approved {pa.start} to {pa.end}"


def approved_tier(pa: PriorAuthorization | None, tier: int) -> int:
    """The tier whose cost share applies: the approved one under a tier exception."""
    if pa is not None and Lift.TIER_EXCEPTION in pa.lifts and pa.tier is not None:
        return pa.tier
    return tier


@dataclass(frozen=True, slots=True)
class Authorized:
    """The facts as the approval changes them, and what changed."""

    drug: DrugFacts
    benefit: BenefitFacts
    notes: tuple[str, ...]


def authorize(pa: PriorAuthorization, drug: DrugFacts, benefit: BenefitFacts) -> Authorized:
    """Apply one approval to a claim's facts (the tier is already the approved one)."""
    notes = [f"PA {pa.number} on file for {pa.drug}, {_dates(pa)}, by {pa.approved_by}"]
    drug_changes: dict[str, object] = {}
    benefit_changes: dict[str, object] = {}
    if Lift.PRIOR_AUTHORIZATION in pa.lifts and drug.pa_required:
        drug_changes["pa_required"] = False
        notes.append(f"PA {pa.number}: prior authorization requirement met")
    if Lift.STEP_THERAPY in pa.lifts and drug.step_therapy is not None:
        drug_changes["step_therapy"] = None
        notes.append(f"PA {pa.number}: step therapy ({drug.step_therapy}) waived")
    if Lift.QUANTITY_LIMIT in pa.lifts:
        assert pa.quantity is not None and pa.per_days is not None
        drug_changes["ql_units"] = pa.quantity
        drug_changes["ql_days"] = pa.per_days
        notes.append(f"PA {pa.number}: quantity limit {pa.quantity} per {pa.per_days} days")
    if Lift.AGE_LIMIT in pa.lifts and (drug.min_age is not None or drug.max_age is not None):
        drug_changes["min_age"] = None
        drug_changes["max_age"] = None
        notes.append(f"PA {pa.number}: age limit waived")
    if Lift.GENDER_LIMIT in pa.lifts and drug.gender is not None:
        drug_changes["gender"] = None
        notes.append(f"PA {pa.number}: gender limit waived")
    if Lift.DAYS_SUPPLY_LIMIT in pa.lifts:
        benefit_changes["max_days_supply"] = pa.max_days_supply
        notes.append(f"PA {pa.number}: up to {pa.max_days_supply} days supply")
    if Lift.TIER_EXCEPTION in pa.lifts:
        drug_changes["tier"] = benefit.tier
        if not drug.on_formulary and drug.known:
            drug_changes["on_formulary"] = True
        notes.append(f"PA {pa.number}: tier exception, cost share of tier {benefit.tier}")
    return Authorized(
        replace(drug, **drug_changes),  # type: ignore[arg-type]
        replace(benefit, **benefit_changes),  # type: ignore[arg-type]
        tuple(notes),
    )
