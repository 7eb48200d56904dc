"""The benefit a claim falls under: drug, pharmacy, channel, history — as facts for edits.

Looked up from the formulary, network and price list in effect on the date of
service, and from the family's fill history. Lookups are dictionary reads: the
cost does not grow with the size of the formulary.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from engine.accumulators import Snapshot
from engine.adjudication.authorization import approved_tier, authorize, find_authorization
from engine.adjudication.decision import Reject
from engine.catalog.catalog import Catalog
from engine.claim import ClaimRequest
from engine.edits.facts import BenefitFacts, DrugFacts, HistoryFacts, PharmacyFacts
from engine.plans.formulary import Drug, Formulary
from engine.plans.network import Contract, Network, Pharmacy
from engine.plans.plan import Channel, CostShare, PlanVersion
from engine.plans.prices import Price, PriceList
from engine.priorauth.model import PriorAuthorization

__all__ = ["STEP_THERAPY_LOOKBACK_DAYS", "Benefit", "look_up_benefit"]

STEP_THERAPY_LOOKBACK_DAYS = 365
"""How far back a prerequisite fill satisfies step therapy."""


@dataclass(slots=True)
class Benefit:
    """Everything the benefit phase and pricing need, looked up once."""

    formulary: Formulary | None
    network: Network | None
    price_list: PriceList | None
    drug: Drug | None
    price: Price | None
    pharmacy: Pharmacy | None
    contract: Contract | None
    channel: Channel
    cost_share: CostShare | None
    drug_facts: DrugFacts
    pharmacy_facts: PharmacyFacts
    benefit_facts: BenefitFacts
    history_facts: HistoryFacts
    authorization: PriorAuthorization | None = None
    """The prior authorization on file that applies to the claim."""
    authorization_reject: Reject | None = None
    """Why a PA number the pharmacy submitted cannot be used."""
    authorization_notes: tuple[str, ...] = ()


def _channel(plan: PlanVersion, pharmacy_channel: str, days_supply: int) -> Channel:
    if pharmacy_channel == "mail":
        return Channel.MAIL
    if pharmacy_channel == "specialty":
        return Channel.SPECIALTY
    if days_supply <= plan.network_rules.retail_30_max_days:
        return Channel.RETAIL_30
    return Channel.RETAIL_90


def _drug_facts(ndc: str, drug: Drug | None, price: Price | None, tier: int) -> DrugFacts:
    if drug is None:
        return DrugFacts(
            ndc=ndc,
            known=price is not None,
            on_formulary=False,
            name="",
            tier=tier,
            brand=False,
            classes=frozenset(),
            excluded=False,
            pa_required=False,
            ql_units=None,
            ql_days=None,
            min_age=None,
            max_age=None,
            gender=None,
            step_therapy=None,
        )
    return DrugFacts(
        ndc=ndc,
        known=True,
        on_formulary=True,
        name=drug.name,
        tier=drug.tier,
        brand=drug.brand,
        classes=drug.classes,
        excluded=drug.excluded,
        pa_required=drug.pa_required,
        ql_units=drug.ql_units,
        ql_days=drug.ql_days,
        min_age=drug.min_age,
        max_age=drug.max_age,
        gender=drug.gender,
        step_therapy=drug.step_therapy,
    )


def _history(
    snapshot: Snapshot,
    person_code: str,
    group: str,
    day: dt.date,
    drug: Drug | None,
    formulary: Formulary | None,
    threshold: Decimal,
) -> HistoryFacts:
    same = [
        f
        for f in snapshot.fills
        if f.person_code == person_code and f.group == group and f.date_of_service <= day
    ]
    last = max(same, key=lambda f: f.date_of_service) if same else None
    next_fill = None
    if last is not None:
        wait = math.ceil(last.days_supply * threshold)
        next_fill = last.date_of_service + dt.timedelta(days=wait)
    step_met = True
    if drug is not None and drug.step_therapy is not None:
        since = day - dt.timedelta(days=STEP_THERAPY_LOOKBACK_DAYS)
        step_met = any(
            f.person_code == person_code
            and since <= f.date_of_service <= day
            and formulary is not None
            and (prior := formulary.get(f.ndc)) is not None
            and drug.step_therapy in prior.classes
            for f in snapshot.fills
        )
    return HistoryFacts(
        last_fill_date=last.date_of_service if last else None,
        last_days_supply=last.days_supply if last else None,
        next_fill_date=next_fill,
        step_therapy_met=step_met,
    )


def look_up_benefit(
    claim: ClaimRequest,
    plan: PlanVersion,
    catalog: Catalog,
    snapshot: Snapshot,
    person_code: str,
    authorizations: Sequence[PriorAuthorization] = (),
) -> Benefit:
    """Gather drug, pharmacy, channel, cost share and history facts for one claim.

    ``authorizations`` are the member's prior authorizations on file; the one that
    applies changes the facts (see ``engine.adjudication.authorization``).
    """
    assert claim.ndc is not None and claim.days_supply is not None
    day = claim.date_of_service
    formulary = catalog.formulary(plan.formulary, day)
    network = catalog.network(plan.network, day)
    price_list = catalog.price_list(plan.prices, day)
    drug = formulary.get(claim.ndc) if formulary else None
    price = price_list.get(claim.ndc) if price_list else None
    pharmacy = network.get(claim.dispensing_npi) if network else None
    in_network = pharmacy is not None and pharmacy.in_network
    authorization, authorization_reject = find_authorization(claim, drug, authorizations)
    tier = drug.tier if drug is not None else (plan.non_formulary_tier or 0)
    tier = approved_tier(authorization, tier)
    channel = _channel(plan, pharmacy.channel if pharmacy else "retail", claim.days_supply)
    table = plan.cost_share if in_network else plan.out_of_network_cost_share
    cost_share = table.get(tier, {}).get(channel)
    if in_network:
        contract = pharmacy.contract if pharmacy else None
    else:
        contract = network.out_of_network if network else None
    drug_facts = _drug_facts(claim.ndc, drug, price, tier)
    benefit_facts = BenefitFacts(
        channel=channel.value,
        tier=tier,
        cost_share_defined=cost_share is not None,
        max_days_supply=plan.network_rules.max_days_supply.get(channel),
    )
    notes: tuple[str, ...] = ()
    if authorization is not None:
        authorized = authorize(authorization, drug_facts, benefit_facts)
        drug_facts, benefit_facts, notes = authorized.drug, authorized.benefit, authorized.notes
    return Benefit(
        formulary=formulary,
        network=network,
        price_list=price_list,
        drug=drug,
        price=price,
        pharmacy=pharmacy,
        contract=contract,
        channel=channel,
        cost_share=cost_share,
        drug_facts=drug_facts,
        pharmacy_facts=PharmacyFacts(
            npi=claim.dispensing_npi,
            known=pharmacy is not None,
            in_network=in_network,
            channel=pharmacy.channel if pharmacy else "retail",
        ),
        benefit_facts=benefit_facts,
        history_facts=_history(
            snapshot,
            person_code,
            drug.group if drug else claim.ndc,
            day,
            drug,
            formulary,
            plan.network_rules.refill_too_soon,
        ),
        authorization=authorization,
        authorization_reject=authorization_reject,
        authorization_notes=notes,
    )
