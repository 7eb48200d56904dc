"""PPO Silver and EPO Integrated (shipped plans) over the round-priced test tables.

Retail: AWP less 20% or MAC, + $2.00. Out of network: AWP less 10%, no MAC, no fee.
Specialty: AWP less 15%, no MAC, + $5.00.
"""

import datetime as dt

from engine.adjudication.decision import Status
from engine.medical import MedicalOutcome, MedicalTxn, apply_medical

DAY = dt.date(2026, 3, 2)
PPO, EPO = "ZZT200001", "ZZT300001"
GENERIC_A, BRAND_A, BRAND_B = "11111111101", "11111111201", "22222222201"
INSULIN, SPECIALTY, STATIN = "33333333301", "44444444401", "55555555501"


def test_ppo_greater_of_copay_and_coinsurance_on_a_preventive_generic(processor, claim):
    decision = processor.process(claim(PPO, "001", STATIN, 1), DAY)
    # 30 x MAC $0.20 = $6.00 + $2.00 = $8.00; preventive skips the deductible;
    # greater of $5.00 copay and 20% ($1.60) = $5.00
    assert (decision.figures.allowed, decision.figures.patient_pay) == (800, 500)
    assert (decision.figures.copay, decision.figures.coinsurance) == (500, 0)


def test_ppo_out_of_network_pharmacy_is_covered_at_fifty_percent(processor, claim):
    decision = processor.process(
        claim(PPO, "001", STATIN, 2, service_provider_id="1400000018"), DAY
    )
    # out-of-network allowance: 30 x $1.00 x 0.90 = $27.00, no fee; 50% = $13.50
    assert decision.status == Status.PAID
    assert (decision.figures.allowed, decision.figures.coinsurance) == (2700, 1350)
    assert decision.figures.plan_pay == 1350


def test_ppo_deductible_then_coinsurance_with_minimum_and_maximum(processor, claim):
    first = processor.process(claim(PPO, "001", BRAND_A, 3), DAY)
    # $242.00 all to the $500 deductible; 20% of nothing left is $0 (the $25 minimum never
    # exceeds what remains to be paid)
    assert (first.figures.deductible, first.figures.coinsurance, first.figures.patient_pay) == (
        24200,
        0,
        24200,
    )
    second = processor.process(claim(PPO, "001", BRAND_B, 4), DAY)
    # $258.00 deductible left; 35% of the remaining $224.00 = $78.40 (between $50 and $150)
    assert (second.figures.deductible, second.figures.coinsurance) == (25800, 7840)
    assert (second.figures.patient_pay, second.figures.plan_pay) == (33640, 14560)
    third = processor.process(
        claim(PPO, "001", SPECIALTY, 5, service_provider_id="1300000019"), DAY
    )
    # 30 x $300 x 0.85 + $5 = $7,655.00; 30% = $2,296.50, capped at the $400 maximum
    assert (third.figures.allowed, third.figures.patient_pay) == (765500, 40000)


def test_ppo_insulin_cap_of_fifty_dollars(processor, claim):
    decision = processor.process(claim(PPO, "002", INSULIN, 6, quantity=10), DAY)
    # 10 x $40 x 0.80 + $2 = $322.00; insulin skips the deductible; 20% = $64.40 > $50 cap
    assert decision.figures.allowed == 32200
    assert (decision.figures.patient_pay, decision.figures.capped_by) == (
        5000,
        "insulin cap $50 per 30 days",
    )


def test_epo_aggregate_deductible_counts_medical_amounts(processor, claim, catalog):
    medical = MedicalTxn(
        "M-1", EPO, "001", dt.date(2026, 2, 1), deductible=100000, out_of_pocket=100000
    )
    result = apply_medical(medical, catalog, processor.members, processor.accumulators)
    assert result.outcome is MedicalOutcome.ACCEPTED
    first = processor.process(claim(EPO, "002", BRAND_B, 1), DAY)
    # aggregate family deductible $3,000 less the $1,000 medical: $2,000 left; 002's
    # $482.00 goes entirely to it (no individual amount applies in family coverage)
    assert (first.figures.deductible, first.figures.patient_pay) == (48200, 48200)
    assert first.remaining.deductible_remaining == 300000 - 100000 - 48200


def test_epo_out_of_pocket_maximum_reached_through_medical(processor, claim, catalog):
    apply_medical(
        MedicalTxn("M-2", EPO, "001", dt.date(2026, 2, 1), deductible=150000, out_of_pocket=595000),
        catalog,
        processor.members,
        processor.accumulators,
    )
    first = processor.process(claim(EPO, "001", BRAND_B, 2), DAY)
    # $6,000 individual OOP - $5,950 medical = $50 left; the plan pays the rest
    assert (first.figures.patient_pay, first.figures.plan_pay) == (5000, 43200)
    assert first.remaining.out_of_pocket_met_by_this_claim
    second = processor.process(claim(EPO, "001", BRAND_A, 3), DAY)
    assert (second.figures.patient_pay, second.figures.plan_pay) == (0, 24200)


def test_epo_insulin_cap_credits_the_deductible(processor, claim):
    decision = processor.process(claim(EPO, "002", INSULIN, 4, quantity=10), DAY)
    # $322.00: 25% = $80.50 (above the $30 minimum), capped at Washington's $35
    assert (decision.figures.patient_pay, decision.figures.deductible) == (3500, 0)
    # not subject to the deductible, but what the member paid counts toward it
    assert decision.txn.deltas == {"ded:002:rx": 3500, "oop:002:rx": 3500}


def test_medical_transaction_is_idempotent(processor, catalog):
    medical = MedicalTxn(
        "M-3", EPO, "001", dt.date(2026, 2, 1), deductible=1000, out_of_pocket=1000
    )
    first = apply_medical(medical, catalog, processor.members, processor.accumulators)
    again = apply_medical(medical, catalog, processor.members, processor.accumulators)
    assert (first.outcome, again.outcome) == (MedicalOutcome.ACCEPTED, MedicalOutcome.DUPLICATE)
    snapshot = processor.accumulators.snapshot(first.family)
    assert snapshot.amounts == {"ded:001:med": 1000, "oop:001:med": 1000}


def test_ppo_copay_accumulator_program_does_not_credit_coupons(processor, claim):
    decision = processor.process(claim(PPO, "002", BRAND_B, 7, coupon_value=10000), DAY)
    # $482.00 all to the $500 deductible; the member pays $482.00 at the counter, but a
    # $100.00 manufacturer coupon covered part of it: only $382.00 accumulates
    assert (decision.figures.deductible, decision.figures.patient_pay) == (48200, 48200)
    assert decision.txn.deltas == {"ded:002:rx": 38200, "oop:002:rx": 38200}
    assert decision.remaining.deductible_remaining == 50000 - 38200


def test_epo_mail_lesser_of_copay_and_coinsurance(processor, claim, catalog):
    apply_medical(
        MedicalTxn("M-4", EPO, "001", dt.date(2026, 2, 1), deductible=300000, out_of_pocket=300000),
        catalog,
        processor.members,
        processor.accumulators,
    )
    decision = processor.process(
        claim(
            EPO, "002", GENERIC_A, 8, quantity=90, days_supply=90, service_provider_id="1200000010"
        ),
        DAY,
    )
    # mail: 90 x MAC $0.50 = $45.00 (AWP 90 x $2 x 0.75 = $135), no fee; the family
    # deductible is met; lesser of the $30 copay and 50% ($22.50)
    assert decision.figures.allowed == 4500
    assert (decision.figures.coinsurance, decision.figures.patient_pay) == (2250, 2250)
