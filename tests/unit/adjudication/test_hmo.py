"""HMO Gold (shipped plan) over the round-priced test tables; every amount worked by hand.

Retail contract: AWP less 20% or MAC, plus a $2.00 dispensing fee.
  GENERIC A  30 x MAC $0.50 = $15.00 (AWP would be 30 x $2.00 x 0.8 = $48.00) + $2.00 = $17.00
  BRAND A    30 x $10.00 x 0.8 = $240.00 + $2.00 = $242.00
  BRAND B    30 x $20.00 x 0.8 = $480.00 + $2.00 = $482.00
HMO Gold: deductible $250 / $500 embedded, tier 1 and insulin exempt; copays tier 1 $10,
tier 2 $35, tier 3 $70 (retail 30); out-of-pocket $3,000 / $6,000 embedded.
"""

import datetime as dt

from engine.adjudication.decision import Status

DAY = dt.date(2026, 3, 2)
FAMILY = "ZZT100001"
GENERIC_A, BRAND_A, BRAND_B = "11111111101", "11111111201", "22222222201"


def test_generic_skips_deductible_and_pays_tier_one_copay(processor, claim):
    decision = processor.process(claim(FAMILY, "001", GENERIC_A, 1), DAY)
    assert decision.status == Status.PAID
    f = decision.figures
    assert (f.ingredient_cost_paid, f.dispensing_fee_paid, f.allowed) == (1500, 200, 1700)
    assert f.basis_of_reimbursement == "7"  # MAC
    assert (f.patient_pay, f.plan_pay, f.copay, f.deductible) == (1000, 700, 1000, 0)
    assert decision.remaining.deductible_remaining == 25000
    assert decision.remaining.out_of_pocket_remaining == 300000 - 1000


def test_brand_pays_deductible_then_copay_on_the_rest(processor, claim):
    decision = processor.process(claim(FAMILY, "001", BRAND_B, 2), DAY)
    f = decision.figures
    # $482.00 allowed: $250.00 to the deductible, $70.00 copay on the remaining $232.00
    assert (f.allowed, f.deductible, f.copay, f.patient_pay, f.plan_pay) == (
        48200,
        25000,
        7000,
        32000,
        16200,
    )
    assert decision.remaining.deductible_remaining == 0
    assert decision.remaining.deductible_family_remaining == 25000
    assert decision.remaining.deductible_met_by_this_claim


def test_embedded_family_deductible_is_met_by_two_people(processor, claim):
    processor.process(claim(FAMILY, "001", BRAND_B, 2), DAY)  # 001 meets $250
    second = processor.process(claim(FAMILY, "002", BRAND_A, 3), DAY)
    # 002: min($250 individual, $500 - $250 family) = $250 remaining; allowed $242 all deductible
    assert (second.figures.deductible, second.figures.copay, second.figures.patient_pay) == (
        24200,
        0,
        24200,
    )
    third = processor.process(claim(FAMILY, "003", BRAND_A, 4), DAY)
    # family met $492: 003 owes min($250, $8) = $8, then the $35 copay on $234
    assert (third.figures.deductible, third.figures.copay, third.figures.patient_pay) == (
        800,
        3500,
        4300,
    )
    assert third.remaining.deductible_family_remaining == 0
    fourth = processor.process(claim(FAMILY, "002", BRAND_B, 5), DAY)
    # family deductible met: 002 still had $8 individually, but the family amount rules
    assert (fourth.figures.deductible, fourth.figures.patient_pay) == (0, 7000)


def test_daw_2_brand_penalty_with_generic_copay(processor, claim):
    decision = processor.process(claim(FAMILY, "003", BRAND_A, 6, daw="2"), DAY)
    f = decision.figures
    # brand $242.00 - generic $17.00 = $225.00 penalty; generic tier 1: $10 copay, no deductible
    assert (f.product_selection, f.copay, f.deductible, f.patient_pay, f.plan_pay) == (
        22500,
        1000,
        0,
        23500,
        700,
    )
    # the penalty does not count toward the out-of-pocket maximum
    assert f.out_of_pocket == 1000
    assert decision.txn.deltas == {"oop:003:rx": 1000}


def test_usual_and_customary_below_contract_caps_the_claim(processor, claim):
    decision = processor.process(claim(FAMILY, "001", GENERIC_A, 7, usual_and_customary=899), DAY)
    f = decision.figures
    assert (f.allowed, f.ingredient_cost_paid, f.dispensing_fee_paid) == (899, 899, 0)
    assert f.basis_of_reimbursement == "4"
    # the $10 copay exceeds the $8.99 price: the member pays the price, never more
    assert (f.patient_pay, f.plan_pay) == (899, 0)


def test_mail_order_90_days_uses_the_mail_copay(processor, claim):
    mail = claim(
        FAMILY, "001", GENERIC_A, 8, quantity=90, days_supply=90, service_provider_id="1200000010"
    )
    decision = processor.process(mail, DAY)
    # mail contract: MAC 90 x $0.50 = $45.00 (AWP 90 x $2.00 x 0.75 = $135.00), no fee
    assert decision.figures.allowed == 4500
    assert decision.figures.patient_pay == 2000  # tier 1 mail copay


def test_retail_90_copay_applies_past_34_days(processor, claim):
    decision = processor.process(
        claim(FAMILY, "001", GENERIC_A, 9, quantity=60, days_supply=60), DAY
    )
    # 60 x $0.50 + $2.00 = $32.00; tier 1 retail 90 copay $25
    assert (decision.figures.allowed, decision.figures.patient_pay) == (3200, 2500)


def test_out_of_pocket_maximum_stops_the_member_share(processor, claim):
    decisions = [
        processor.process(
            claim(
                FAMILY,
                "001",
                "44444444401",
                20 + index,
                service_provider_id="1300000019",
                day=dt.date(2026, 1, 2) + dt.timedelta(days=30 * index),
            ),
            dt.date(2026, 12, 31),
        )
        for index in range(12)
    ]
    # specialty $7,655.00 = 30 x $300 x 0.85 + $5.00: 25% is far above the $250 maximum, so
    # fill 1 pays $250 deductible + $250, fills 2-11 pay $250: 500 + 10 x 250 = $3,000,
    # the individual out-of-pocket maximum; fill 12 is $0.
    assert [d.figures.patient_pay for d in decisions] == [50000] + [25000] * 10 + [0]
    assert decisions[10].remaining.out_of_pocket_met_by_this_claim
    assert decisions[10].remaining.out_of_pocket_remaining == 0
    assert decisions[11].figures.plan_pay == 765500
