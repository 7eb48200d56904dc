"""Per-claim enforcement: the mandates apply at adjudication whatever the plan file says.

The plans billed here (tests/unit/compliance/data) violate on purpose: no insulin cap,
insulin through the deductible, an aggregate out-of-pocket maximum above the ACA
self-only limit, a copay accumulator program. Every amount is worked by hand.

Test prices: INSULIN X AWP $40/unit, retail AWP less 20% + $2.00:
  10 units $322.00 · 15 units $482.00 · 20 units $642.00 · 30 units $962.00
BRAND B (no generic) 30 units $482.00; BRAND A (generic available) 30 units $242.00.
SPECIALTY S AWP $300/unit at the specialty pharmacy, less 15% + $5.00: 30 units $7,655.00.
"""

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.accumulators import AccumulatorTxn, FamilyKey, Snapshot
from engine.adjudication.processor import ClaimProcessor
from engine.store.memory import MemoryAccumulatorStore, MemoryClaimLedger

from .support import adjudicate, claim_for, mandate_catalog
from conftest import SPECIALTY, make_claim

INSULIN, SPECIALTY_S = "33333333301", "44444444401"
BRAND_A, BRAND_B = "11111111201", "22222222201"
WA, WA_SELF, CO, LA, PDP, IL = (
    "ZZM100001",
    "ZZM100002",
    "ZZM200001",
    "ZZM300001",
    "ZZM400001",
    "ZZM500001",
)
DEDUCTIBLE_MET = {"ded:001:rx": 50000}


def _bill(family, ndc, units, days=30, amounts=None, person="001", **changes):
    claim = claim_for(family, person, ndc, quantity=Decimal(units), days_supply=days, **changes)
    decision = adjudicate(claim, Snapshot(amounts=amounts or {}))
    assert decision.paid, decision.rejects
    return decision


def test_washington_insulin_cap_applies_to_a_plan_without_one():
    decision = _bill(WA, INSULIN, 10)
    f = decision.figures
    # no deductible for insulin (the law, not the plan); 50% of $322.00 = $161.00 > $35
    assert (f.allowed, f.deductible, f.patient_pay, f.plan_pay) == (32200, 0, 3500, 28700)
    assert f.capped_by == "mandate wa-insulin-2023: $35.00 per 30 days"
    # what the member paid still counts toward the deductible (SB 5729)
    assert decision.txn.deltas == {"ded:001:rx": 3500, "oop:001:rx": 3500}
    trace = list(decision.trace)
    assert (
        "mandate state-insulin-caps@2026.1#wa-insulin-2023 limited the member's share to "
        "$35.00 (the plan's own cap: none)"
    ) in trace
    assert (
        "mandate state-insulin-caps@2026.1#wa-insulin-2023: the deductible does not apply "
        "to this drug"
    ) in trace


@pytest.mark.parametrize(
    ("units", "days", "allowed", "patient_pay"),
    [
        (20, 60, 64200, 7000),  # 50% = $321.00; two months: 2 x $35
        (30, 90, 96200, 10500),  # 50% = $481.00; three months: 3 x $35
        (15, 45, 48200, 3500),  # one whole month dispensed: $35
        (10, 34, 32200, 3500),  # a 34-day fill is one month's supply
    ],
)
def test_washington_cap_for_longer_supplies(units, days, allowed, patient_pay):
    f = _bill(WA, INSULIN, units, days).figures
    assert (f.allowed, f.patient_pay) == (allowed, patient_pay)


def test_colorado_cap_includes_the_deductible():
    before = _bill(CO, INSULIN, 10)
    # the plan runs insulin through its $500 deductible: all $322.00 would go to it;
    # Colorado's $100 bounds everything the member pays, the deductible included
    f = before.figures
    assert (f.deductible, f.coinsurance, f.patient_pay, f.plan_pay) == (10000, 0, 10000, 22200)
    assert before.txn.deltas == {"ded:001:rx": 10000, "oop:001:rx": 10000}
    after = _bill(CO, INSULIN, 10, amounts=DEDUCTIBLE_MET)
    # deductible met: 50% of $322.00 = $161.00 > $100
    assert (after.figures.coinsurance, after.figures.patient_pay) == (10000, 10000)


def test_louisiana_specialty_cap_applies_after_the_deductible():
    first = _bill(LA, SPECIALTY_S, 30, service_provider_id=SPECIALTY)
    # $500 deductible, then 50% of $7,155.00 = $3,577.50 > $150: $650.00 in all
    f = first.figures
    assert (f.allowed, f.deductible, f.coinsurance, f.patient_pay) == (765500, 50000, 15000, 65000)
    assert f.capped_by == "mandate la-specialty-2015: $150.00 per 30 days"
    second = _bill(LA, SPECIALTY_S, 30, amounts=DEDUCTIBLE_MET, service_provider_id=SPECIALTY)
    assert (second.figures.deductible, second.figures.patient_pay) == (0, 15000)


def test_part_d_insulin_cap_and_threshold_apply_to_a_plan_above_them():
    insulin = _bill(PDP, INSULIN, 10)
    # no deductible for insulin; 25% of $322.00 = $80.50 > $35
    assert (insulin.figures.deductible, insulin.figures.patient_pay) == (0, 3500)
    near = _bill(PDP, BRAND_B, 30, amounts={"ded:001:rx": 61500, "oop:001:rx": 209000})
    # 25% of $482.00 = $120.50, but only $10.00 remains of the $2,100 threshold (the plan
    # file says $3,000)
    assert (near.figures.patient_pay, near.figures.plan_pay) == (1000, 47200)
    assert near.remaining.out_of_pocket_remaining == 0
    assert (
        "mandate medicare-part-d@2026.1#part-d-2026: $10.00 of the out-of-pocket maximum "
        "remained, not the plan's $910.00"
    ) in list(near.trace)


def test_only_verified_rules_are_enforced():
    # Illinois: $100 (VERIFIED-PRIMARY) is enforced; the $35 amendment's date is
    # SINGLE-SOURCE, so it is reported by the checker but never charged at the counter
    f = _bill(IL, INSULIN, 10).figures
    assert (f.patient_pay, f.capped_by) == (10000, "mandate il-insulin-2021: $100.00 per 30 days")


def test_no_person_in_family_coverage_pays_past_the_aca_self_only_limit():
    amounts = {"ded:001:rx": 50000, "oop:001:rx": 1055000}
    decision = _bill(WA, BRAND_B, 30, amounts=amounts)
    # 50% of $482.00 = $241.00; the plan's aggregate $30,000 would leave $19,450.00, but
    # 2026's self-only limit of $10,600 leaves this person $50.00
    assert (decision.figures.patient_pay, decision.figures.plan_pay) == (5000, 43200)
    assert decision.remaining.out_of_pocket_remaining == 0
    assert decision.remaining.out_of_pocket_met_by_this_claim
    assert (
        "mandate aca-cost-sharing@2026.1#aca-moop-2026, "
        "aca-cost-sharing@2026.1#aca-embedded-self-only: $50.00 of the out-of-pocket "
        "maximum remained, not the plan's $19,450.00"
    ) in list(decision.trace)


def test_self_only_coverage_stops_at_the_self_only_limit():
    decision = _bill(WA_SELF, BRAND_B, 30, amounts={"ded:001:rx": 50000, "oop:001:rx": 1059999})
    assert decision.figures.patient_pay == 1


def test_the_family_stops_at_the_other_than_self_only_limit():
    amounts = {
        "ded:001:rx": 50000,
        "ded:002:rx": 50000,
        "oop:001:rx": 1060000,
        "oop:002:rx": 1060000,
    }
    decision = _bill(WA, BRAND_B, 30, amounts=amounts, person="003")
    # the family has met $21,200: person 003 pays nothing (the plan's own family
    # amount is $30,000)
    assert (decision.figures.patient_pay, decision.figures.plan_pay) == (0, 48200)


def test_accumulator_ban_makes_manufacturer_assistance_count():
    decision = _bill(WA, BRAND_B, 30, coupon_value=10000)
    # $482.00 to the deductible; the plan would credit only the member's own $382.00,
    # but Washington bans copay accumulators: all $482.00 counts
    assert decision.figures.patient_pay == 48200
    assert decision.txn.deltas == {"ded:001:rx": 48200, "oop:001:rx": 48200}
    assert (
        "mandate state-accumulator-bans@2026.1#wa-accumulator-ban: manufacturer assistance "
        "$100.00 accumulates"
    ) in list(decision.trace)


def test_colorado_ban_reaches_brands_without_a_generic_only():
    with_generic = _bill(CO, BRAND_A, 30, coupon_value=10000)
    # $242.00 to the deductible, $100.00 of it from a coupon for a brand with a generic:
    # Colorado's ban does not reach it, the plan's accumulator program stands
    assert with_generic.txn.deltas == {"ded:001:rx": 14200, "oop:001:rx": 14200}
    without = _bill(CO, BRAND_B, 30, coupon_value=10000)
    assert without.txn.deltas == {"ded:001:rx": 48200, "oop:001:rx": 48200}


def test_a_compliant_plan_is_not_touched():
    # the shipped EPO caps insulin at $35 itself: on a tie the plan's cap is named
    decision = adjudicate(make_claim("ZZT300001", "001", INSULIN, 1, quantity=Decimal(10)))
    f = decision.figures
    assert (f.patient_pay, f.capped_by) == (3500, "insulin cap $35 per 30 days")
    assert not [line for line in decision.trace if line.startswith("mandate ")]


# What each case may charge at most for a fill of d days (cents per 30 days), whether the
# deductible stays outside the cap (Louisiana), and the longest supply the plan covers.
CAPPED = [
    (WA, INSULIN, None, 3500, False, 90),
    (CO, INSULIN, None, 10000, False, 90),
    (IL, INSULIN, None, 10000, False, 34),
    (PDP, INSULIN, None, 3500, False, 90),
    (LA, SPECIALTY_S, SPECIALTY, 15000, True, 30),
]
SELF_ONLY_2026, FAMILY_2026 = 1_060_000, 2_120_000

amounts_near_limits = st.one_of(st.integers(0, 2_200_000), st.integers(1_040_000, 1_070_000))


@settings(max_examples=200, deadline=None)
@given(
    case=st.sampled_from(CAPPED),
    units=st.integers(1, 120),
    days=st.integers(1, 90),
    charge=st.one_of(st.none(), st.integers(1, 5_000_000)),
    deductible=st.integers(0, 60_000),
    out_of_pocket=amounts_near_limits,
)
def test_a_capped_fill_never_costs_more_than_the_cap(
    case, units, days, charge, deductible, out_of_pocket
):
    family, ndc, pharmacy, amount, after_deductible, longest = case
    days = min(days, longest)
    changes = {"service_provider_id": pharmacy} if pharmacy else {}
    claim = claim_for(
        family,
        "001",
        ndc,
        quantity=Decimal(units),
        days_supply=days,
        usual_and_customary=charge,
        **changes,
    )
    amounts = {"ded:001:rx": deductible, "oop:001:rx": out_of_pocket}
    decision = adjudicate(claim, Snapshot(amounts=amounts))
    assert decision.paid, decision.rejects
    f = decision.figures
    cap = amount * max(1, days // 30)
    capped_share = f.patient_pay - f.deductible if after_deductible else f.patient_pay
    assert capped_share <= cap
    assert 0 <= f.patient_pay <= f.allowed


@settings(max_examples=200, deadline=None)
@given(
    person=st.sampled_from(["001", "002", "003"]),
    ndc=st.sampled_from([INSULIN, BRAND_A, BRAND_B]),
    units=st.integers(1, 400),
    charge=st.one_of(st.none(), st.integers(1, 5_000_000)),
    met=st.tuples(amounts_near_limits, amounts_near_limits, amounts_near_limits),
    coupon=st.one_of(st.none(), st.integers(1, 50_000)),
)
def test_no_one_passes_the_aca_limits_whatever_the_accumulators_hold(
    person, ndc, units, charge, met, coupon
):
    amounts = {f"oop:{p}:rx": cents for p, cents in zip(("001", "002", "003"), met, strict=True)}
    claim = claim_for(
        WA, person, ndc, quantity=Decimal(units), usual_and_customary=charge, coupon_value=coupon
    )
    decision = adjudicate(claim, Snapshot(amounts=amounts))
    assert decision.paid, decision.rejects
    credit = decision.txn.deltas.get(f"oop:{person}:rx", 0)
    person_before = amounts[f"oop:{person}:rx"]
    family_before = sum(met)
    assert person_before + credit <= max(person_before, SELF_ONLY_2026)
    assert family_before + credit <= max(family_before, FAMILY_2026)
    if min(SELF_ONLY_2026 - person_before, FAMILY_2026 - family_before) <= 0:
        assert decision.figures.patient_pay == 0


def test_mandates_are_fixed_once_per_plan_version_for_its_plan_year():
    first, second = mandate_catalog().plans["HDHP-HSA"]
    # July plan years: 2025-26 takes the 2025 ACA limit ($9,200), 2026-27 the 2026 one
    assert (first.mandates.plan_year, first.mandates.ceiling.self_only) == (
        dt.date(2025, 7, 1),
        920000,
    )
    assert (second.mandates.plan_year, second.mandates.ceiling.person) == (
        dt.date(2026, 7, 1),
        1060000,
    )


def test_eligibility_check_reports_the_mandated_remaining_amount():
    catalog = mandate_catalog()
    accumulators = MemoryAccumulatorStore()
    processor = ClaimProcessor(catalog, accumulators, MemoryClaimLedger())
    key = FamilyKey(WA, dt.date(2026, 1, 1))
    accumulators.apply(key, AccumulatorTxn("seed", {"oop:001:rx": 1050000}), None)
    inquiry = replace(
        claim_for(WA, "001", BRAND_B),
        transaction_code="E1",
        ndc=None,
        quantity=None,
        days_supply=None,
        rx_number=None,
        fill_number=None,
    )
    decision = processor.process(inquiry, dt.date(2026, 3, 2))
    # the plan's aggregate maximum would leave $19,500.00; the 2026 ACA self-only limit
    # ($10,600) leaves this person $100.00 — what billing would allow, so what E1 says
    assert decision.remaining.out_of_pocket_remaining == 10000
