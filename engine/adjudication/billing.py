"""Billing (B1, and the bill half of B3): benefit edits, pricing, cost share, deltas.

A pure function of the claim, its eligibility, the catalog and the family's
accumulator snapshot: it reads no clock and no store, and returns a decision with
the accumulator transaction the shell must apply.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from engine.accumulators import (
    DEDUCTIBLE,
    OUT_OF_POCKET,
    PHARMACY,
    AccumulatorTxn,
    Fill,
    Snapshot,
    amount_field,
)
from engine.adjudication.benefit import Benefit, look_up_benefit
from engine.adjudication.capspending import CapSpending
from engine.adjudication.clarifications import lift_with_clarifications
from engine.adjudication.costshare import CostShareInputs, CostShareResult, compute_cost_share
from engine.adjudication.decision import (
    AuthorizationUsed,
    CostShareFigures,
    Decision,
    Reject,
    Remaining,
    Status,
    Versions,
)
from engine.adjudication.eligibility import Eligibility
from engine.adjudication.limits import Ceiling, LimitView, view_after, view_limit
from engine.adjudication.pricing import PriceInputs, Pricing, price_claim
from engine.adjudication.trace import Cents, Trace
from engine.catalog.catalog import Catalog
from engine.claim import ClaimRequest
from engine.cob.settle import settle
from engine.compliance.effective import CapLimit, PlanMandates
from engine.edits.facts import ClaimFacts
from engine.ncpdp.rejects import RejectCode
from engine.plans.plan import PlanType, PlanVersion
from engine.priorauth.model import PriorAuthorization

__all__ = ["authorization_number", "bill"]


def authorization_number(txn_id: str) -> str:
    """A short, stable authorization number (503-F3) derived from the transaction id."""
    return hashlib.blake2s(txn_id.encode(), digest_size=6).hexdigest().upper()


def _deductible_applies(plan: PlanVersion, benefit: Benefit, tier: int, skips: bool) -> bool:
    """Whether the deductible applies; ``tier`` is the tier the cost share is taken from.

    ``skips``: a cap reaching the drug takes it out of the deductible.
    """
    deductible = plan.deductible
    if deductible is None:
        return False
    classes = benefit.drug.classes if benefit.drug else frozenset()
    if tier in deductible.exempt_tiers:
        return False
    if classes & deductible.exempt_classes:
        return False
    return not skips


def _deductible_part(allowed: int, penalty: int, applies: bool, view: LimitView | None) -> int:
    """What the deductible takes of this fill, exactly as cost share will take it."""
    if not applies or view is None or not view.remaining:
        return 0
    return min(allowed - min(penalty, allowed), view.remaining)


def _mandate_trace(
    trace: Trace,
    capped_by: str | None,
    skip_rule: str | None,
    cap: CapLimit | None,
    mandates: PlanMandates,
    plan_view: LimitView | None,
    oop_view: LimitView,
) -> None:
    """Name the mandate when it, rather than the plan, limited the member's share."""
    if skip_rule is not None:
        trace.add("mandate {}: the deductible does not apply to this drug", skip_rule)
    if cap is not None and cap.rule is not None and capped_by == cap.label:
        trace.add(
            "mandate {} limited the member's share to {} (the plan's own cap: {})",
            cap.rule,
            Cents(cap.amount),
            "none" if cap.plan_amount is None else Cents(cap.plan_amount),
        )
    if plan_view is not None and plan_view.remaining > oop_view.remaining:
        trace.add(
            "mandate {}: {} of the out-of-pocket maximum remained, not the plan's {}",
            ", ".join(mandates.ceiling_rules),
            Cents(oop_view.remaining),
            Cents(plan_view.remaining),
        )


def _penalty(
    plan: PlanVersion,
    claim: ClaimRequest,
    benefit: Benefit,
    pricing: Pricing,
    inputs: PriceInputs,
    trace: Trace,
) -> tuple[int, int | None]:
    """(penalty, generic tier) for a brand dispensed at the member's request."""
    rule = plan.daw_penalty
    drug = benefit.drug
    if (
        rule is None
        or claim.daw not in rule.daw_codes
        or drug is None
        or not drug.brand
        or drug.generic_ndc is None
        or benefit.contract is None
        or benefit.formulary is None
    ):
        return 0, None
    generic = benefit.formulary.get(drug.generic_ndc)
    generic_price = benefit.price_list.get(drug.generic_ndc) if benefit.price_list else None
    if generic is None or generic_price is None:
        return 0, None
    generic_inputs = PriceInputs(inputs.quantity, None, None, None, None)
    generic_allowed = price_claim(generic_inputs, generic_price, benefit.contract).allowed
    penalty = max(0, pricing.allowed - generic_allowed)
    trace.add(
        "DAW {}: brand {} less generic {} = penalty {}",
        claim.daw,
        Cents(pricing.allowed),
        Cents(generic_allowed),
        Cents(penalty),
    )
    return penalty, generic.tier


def _assisted_credit(
    plan: PlanVersion,
    mandates: PlanMandates,
    benefit: Benefit,
    claim: ClaimRequest,
    share: CostShareResult,
    trace: Trace,
) -> tuple[int, int]:
    """(deductible credit, out-of-pocket credit) once manufacturer assistance is set aside."""
    if plan.manufacturer_assistance_counts or not claim.coupon_value:
        return share.deductible, share.out_of_pocket
    assistance = min(claim.coupon_value, share.patient_pay)
    ban = mandates.assistance_rule(benefit.drug)
    if ban is not None:
        trace.add("mandate {}: manufacturer assistance {} accumulates", ban, Cents(assistance))
        return share.deductible, share.out_of_pocket
    own = share.patient_pay - assistance
    trace.add(
        "manufacturer assistance {} does not accumulate; the member's own {} does",
        Cents(assistance),
        Cents(own),
    )
    return min(share.deductible, own), min(share.out_of_pocket, own)


def _versions(eligibility: Eligibility, benefit: Benefit) -> Versions:
    def tag(obj: object | None, name: str) -> str | None:
        return None if obj is None else f"{getattr(obj, name)}@{obj.version}"  # type: ignore[attr-defined]

    return Versions(
        plan=eligibility.runtime.id,
        formulary=tag(benefit.formulary, "formulary"),
        network=tag(benefit.network, "network"),
        prices=tag(benefit.price_list, "prices"),
        edits=eligibility.runtime.edits.id,
    )


def _remaining(
    plan: PlanVersion,
    deductible: LimitView | None,
    out_of_pocket: LimitView,
    deltas: dict[str, int],
    eligibility: Eligibility,
    ceiling: Ceiling | None,
) -> Remaining:
    """What is met and what remains after this claim's deltas (computed, not re-read)."""
    person = eligibility.person.person_code
    self_only = eligibility.member.self_only
    ded_after = None
    if plan.deductible is not None and deductible is not None:
        credit = deltas.get(amount_field(DEDUCTIBLE, person, PHARMACY), 0)
        ded_after = view_after(plan.deductible, deductible, credit, self_only)
    credit = deltas.get(amount_field(OUT_OF_POCKET, person, PHARMACY), 0)
    oop_after = view_after(plan.out_of_pocket, out_of_pocket, credit, self_only, ceiling)
    return Remaining(
        deductible_met=ded_after.person_met if ded_after else None,
        deductible_remaining=ded_after.remaining if ded_after else None,
        deductible_family_remaining=ded_after.family_remaining if ded_after else None,
        out_of_pocket_met=oop_after.person_met,
        out_of_pocket_remaining=oop_after.remaining,
        out_of_pocket_family_remaining=oop_after.family_remaining,
        deductible_met_by_this_claim=bool(
            deductible and ded_after and deductible.remaining > 0 and ded_after.remaining == 0
        ),
        out_of_pocket_met_by_this_claim=out_of_pocket.remaining > 0 and oop_after.remaining == 0,
    )


def bill(
    claim: ClaimRequest,
    facts: ClaimFacts,
    eligibility: Eligibility,
    catalog: Catalog,
    snapshot: Snapshot,
    txn_id: str,
    claim_key: str,
) -> Decision:
    """Adjudicate the benefit of an eligible claim against the family's snapshot."""
    runtime = eligibility.runtime
    plan = runtime.plan
    mandates = runtime.mandates
    person = eligibility.person.person_code
    benefit = look_up_benefit(claim, plan, catalog, snapshot, person, eligibility.authorizations)
    coordination = eligibility.coordination
    versions = _versions(eligibility, benefit)
    common = {
        "transaction_code": claim.transaction_code,
        "claim_key": claim_key,
        "family": eligibility.key,
        "versions": versions,
        "group_id": claim.group_id,
        "plan_id": plan.plan,
        "tier": benefit.benefit_facts.tier,
        "channel": benefit.channel.value,
        "other_payers": coordination.other_payers if coordination else (),
    }
    if benefit.authorization_reject is not None:
        return Decision(status=Status.REJECTED, rejects=(benefit.authorization_reject,), **common)
    rejects = runtime.edits.evaluate(
        "benefit",
        facts,
        eligibility.member,
        eligibility.plan,
        benefit.drug_facts,
        benefit.pharmacy_facts,
        benefit.benefit_facts,
        benefit.history_facts,
    )
    clarified = lift_with_clarifications(
        rejects,
        claim.submission_clarification_codes,
        plan.clarification_overrides,
        snapshot.fills,
        person,
        claim.date_of_service,
    )
    rejects = clarified.rejects
    if not rejects and (benefit.cost_share is None or benefit.contract is None):
        rejects = [
            Reject(
                RejectCode.PRODUCT_SERVICE_NOT_COVERED_PLAN_BENEFIT_EXCLUSION,
                f"no cost share for tier {benefit.benefit_facts.tier} in {benefit.channel.value}",
                "benefit",
            )
        ]
    if rejects:  # an approval that applied still says what it allowed
        return Decision(
            status=Status.REJECTED,
            rejects=tuple(rejects),
            messages=benefit.authorization_notes,
            **common,
        )
    assert benefit.cost_share is not None and benefit.contract is not None
    assert claim.quantity is not None and claim.days_supply is not None
    trace = Trace()
    trace.add(
        "plan {}, channel {}, tier {}",
        runtime.id,
        benefit.channel.value,
        benefit.benefit_facts.tier,
    )
    for note in (*benefit.authorization_notes, *clarified.overrides):
        trace.add("{}", note)
    inputs = PriceInputs(
        quantity=claim.quantity,
        ingredient_cost_submitted=claim.ingredient_cost_submitted,
        dispensing_fee_submitted=claim.dispensing_fee_submitted,
        usual_and_customary=claim.usual_and_customary,
        gross_amount_due=claim.gross_amount_due,
    )
    pricing = price_claim(inputs, benefit.price, benefit.contract)
    trace.extend(pricing.trace)
    penalty, generic_tier = _penalty(plan, claim, benefit, pricing, inputs, trace)
    spec = benefit.cost_share
    share_tier = benefit.benefit_facts.tier
    if generic_tier is not None:
        table = (
            plan.cost_share
            if benefit.pharmacy_facts.in_network
            else (plan.out_of_network_cost_share)
        )
        generic_spec = table.get(generic_tier, {}).get(benefit.channel)
        if generic_spec is not None:
            spec, share_tier = generic_spec, generic_tier
            trace.add("cost share of the generic's tier {}", generic_tier)
    spending = CapSpending(snapshot.fills, person, claim.date_of_service, txn_id, benefit.formulary)
    cap = mandates.claim_cap(
        benefit.drug.classes if benefit.drug else frozenset(), claim.days_supply, spending.spent
    )
    for label, cents in spending.found.items():
        trace.add("{}: {} already paid on other fills in its period", label, Cents(cents))
    self_only = eligibility.member.self_only
    deductible_view = (
        view_limit(plan.deductible, DEDUCTIBLE, snapshot, person, self_only)
        if plan.deductible
        else None
    )
    oop_view = view_limit(
        plan.out_of_pocket, OUT_OF_POCKET, snapshot, person, self_only, mandates.ceiling
    )
    deductible_applies = _deductible_applies(
        plan, benefit, share_tier, cap is not None and cap.skips_deductible
    )
    skip_rule = (
        cap.skip_rule
        if cap is not None
        and not deductible_applies
        and _deductible_applies(plan, benefit, share_tier, cap.plan_skips_deductible)
        else None
    )
    cap_limit = (
        cap.limit(_deductible_part(pricing.allowed, penalty, deductible_applies, deductible_view))
        if cap
        else None
    )
    share_inputs = CostShareInputs(
        allowed=pricing.allowed,
        penalty=penalty,
        spec=spec,
        deductible_applies=deductible_applies,
        deductible_remaining=deductible_view.remaining if deductible_view else None,
        out_of_pocket_remaining=oop_view.remaining,
        cap=cap_limit.amount if cap_limit else None,
        cap_label=cap_limit.label if cap_limit else None,
        penalty_counts_toward_out_of_pocket=bool(
            plan.daw_penalty and plan.daw_penalty.counts_toward_out_of_pocket
        ),
    )
    share = compute_cost_share(share_inputs)
    trace.extend(share.trace)
    plan_view = (
        view_limit(plan.out_of_pocket, OUT_OF_POCKET, snapshot, person, self_only)
        if share.capped_by == "out-of-pocket maximum" and mandates.ceiling is not None
        else None
    )
    _mandate_trace(trace, share.capped_by, skip_rule, cap_limit, mandates, plan_view, oop_view)
    ded_credit, oop_credit = _assisted_credit(plan, mandates, benefit, claim, share, trace)
    if (
        cap_limit is not None
        and cap is not None
        and cap.credits_deductible
        and deductible_view is not None
    ):
        credited = min(oop_credit - ded_credit, deductible_view.remaining)
        if credited:
            ded_credit += credited
            trace.add(
                "{}: the member's {} counts toward the deductible", cap_limit.label, Cents(credited)
            )
    settled = None
    if coordination is not None and coordination.payer_seq > 1:
        settled = settle(
            coordination,
            plan.cob.method,
            pricing.allowed,
            share,
            oop_credit,
            lambda left: compute_cost_share(replace(share_inputs, allowed=left)).patient_pay,
            plan.type is PlanType.MEDICARE_PART_D,
        )
        if isinstance(settled, Reject):
            return Decision(status=Status.REJECTED, rejects=(settled,), **common)
        trace.extend(settled.trace)
        oop_credit = settled.out_of_pocket
    deltas = {
        name: cents
        for name, cents in (
            (amount_field(DEDUCTIBLE, person, PHARMACY), ded_credit),
            (amount_field(OUT_OF_POCKET, person, PHARMACY), oop_credit),
        )
        if cents
    }
    paid = share if settled is None else settled
    fill = Fill(
        txn_id,
        person,
        claim.ndc or "",
        benefit.drug.group if benefit.drug else (claim.ndc or ""),
        claim.date_of_service,
        claim.days_supply,
        clarified.codes,
        paid.deductible + paid.copay + paid.coinsurance,
    )
    remaining = _remaining(plan, deductible_view, oop_view, deltas, eligibility, mandates.ceiling)
    if remaining.deductible_met_by_this_claim:
        trace.add("this claim meets the deductible")
    if remaining.out_of_pocket_met_by_this_claim:
        trace.add("this claim meets the out-of-pocket maximum")
    figures = CostShareFigures(
        ingredient_cost_paid=pricing.ingredient_cost,
        dispensing_fee_paid=pricing.dispensing_fee,
        allowed=pricing.allowed,
        patient_pay=paid.patient_pay,
        plan_pay=paid.plan_pay,
        deductible=paid.deductible,
        copay=paid.copay,
        coinsurance=paid.coinsurance,
        product_selection=paid.penalty,
        out_of_pocket=oop_credit,
        basis_of_reimbursement=pricing.basis,
        capped_by=share.capped_by,
        cob=settled.figures if settled is not None else None,
    )
    return Decision(
        status=Status.PAID,
        figures=figures,
        remaining=remaining,
        txn=AccumulatorTxn(txn_id, deltas, fill),
        authorization_number=authorization_number(txn_id),
        prior_authorization=_used(benefit.authorization),
        overrides=clarified.overrides,
        messages=coordination.notes if coordination else (),
        trace=trace,
        **common,
    )


def _used(pa: PriorAuthorization | None) -> AuthorizationUsed | None:
    if pa is None:
        return None
    return AuthorizationUsed(pa.number, pa.start, pa.end, pa.quantity)
