"""Duplicates, reversals, rebills and eligibility checks on HMO Gold (see test_hmo.py)."""

import datetime as dt
from dataclasses import replace

from engine.accumulators import FamilyKey
from engine.adjudication.decision import Status

DAY = dt.date(2026, 3, 2)
FAMILY = "ZZT100001"
KEY = FamilyKey(FAMILY, dt.date(2026, 1, 1))
GENERIC_A, BRAND_B = "11111111101", "22222222201"


def test_duplicate_of_paid_returns_original_figures_and_changes_nothing(processor, claim):
    first = processor.process(claim(FAMILY, "001", BRAND_B, 1), DAY)
    before = processor.accumulators.snapshot(KEY)
    again = processor.process(claim(FAMILY, "001", BRAND_B, 1), DAY)
    assert again.status == Status.DUPLICATE_OF_PAID
    assert again.figures == first.figures
    assert again.authorization_number == first.authorization_number
    after = processor.accumulators.snapshot(KEY)
    assert (after.version, dict(after.amounts)) == (before.version, dict(before.amounts))


def test_reversal_negates_exactly_the_original(processor, claim):
    processor.process(claim(FAMILY, "001", GENERIC_A, 1), DAY)
    processor.process(claim(FAMILY, "001", BRAND_B, 2), DAY)
    reversal = processor.process(claim(FAMILY, "001", BRAND_B, 2, transaction_code="B2"), DAY)
    assert reversal.status == Status.APPROVED
    # BRAND B paid $250 deductible and $70 copay: both come back out
    assert reversal.txn.deltas == {"ded:001:rx": -25000, "oop:001:rx": -32000}
    assert dict(processor.accumulators.snapshot(KEY).amounts) == {
        "oop:001:rx": 1000,
        "ded:001:rx": 0,
    }
    again = processor.process(claim(FAMILY, "001", BRAND_B, 2, transaction_code="B2"), DAY)
    assert again.status == Status.DUPLICATE_OF_APPROVED


def test_reversal_of_unknown_claim_is_rejected_84(processor, claim):
    decision = processor.process(claim(FAMILY, "001", BRAND_B, 99, transaction_code="B2"), DAY)
    assert decision.status == Status.REJECTED
    assert [r.code.code for r in decision.rejects] == ["84"]


def test_rebill_after_reversal_is_billed_fresh_and_refill_history_follows(processor, claim):
    processor.process(claim(FAMILY, "001", BRAND_B, 3), DAY)
    processor.process(claim(FAMILY, "001", BRAND_B, 3, transaction_code="B2"), DAY)
    # the reversed fill no longer counts for refill-too-soon, and the claim can be billed again
    again = processor.process(claim(FAMILY, "001", BRAND_B, 3), DAY)
    assert again.status == Status.PAID
    assert again.figures.deductible == 25000


def test_rebill_replaces_the_original_in_one_step(processor, claim):
    processor.process(claim(FAMILY, "001", BRAND_B, 4), DAY)
    rebill = processor.process(
        claim(FAMILY, "001", BRAND_B, 4, transaction_code="B3", quantity=60, days_supply=60),
        DAY,
    )
    # 60 x $20 x 0.8 + $2 = $962.00; the original's deductible is given back first, so the
    # rebill pays the $250 deductible again, then the tier 3 retail 90 copay of $180
    assert rebill.status == Status.PAID
    assert (rebill.figures.allowed, rebill.figures.deductible, rebill.figures.copay) == (
        96200,
        25000,
        18000,
    )
    assert dict(processor.accumulators.snapshot(KEY).amounts) == {
        "ded:001:rx": 25000,
        "oop:001:rx": 43000,
    }


def test_rejected_rebill_leaves_the_original_untouched(processor, claim):
    processor.process(claim(FAMILY, "001", BRAND_B, 5), DAY)
    before = dict(processor.accumulators.snapshot(KEY).amounts)
    rebill = processor.process(
        claim(FAMILY, "001", BRAND_B, 5, transaction_code="B3", days_supply=0), DAY
    )
    assert rebill.status == Status.REJECTED
    assert [r.code.code for r in rebill.rejects] == ["19"]
    assert dict(processor.accumulators.snapshot(KEY).amounts) == before
    duplicate = processor.process(claim(FAMILY, "001", BRAND_B, 5), DAY)
    assert duplicate.status == Status.DUPLICATE_OF_PAID


def test_rebill_without_a_paid_original_is_rejected(processor, claim):
    decision = processor.process(claim(FAMILY, "001", BRAND_B, 6, transaction_code="B3"), DAY)
    assert [r.code.code for r in decision.rejects] == ["84"]


def test_eligibility_check_answers_remaining_amounts_and_changes_nothing(processor, claim):
    processor.process(claim(FAMILY, "001", BRAND_B, 7), DAY)
    before = processor.accumulators.snapshot(KEY)
    decision = processor.process(
        replace(
            claim(FAMILY, "002", BRAND_B, 0),
            transaction_code="E1",
            ndc=None,
            quantity=None,
            days_supply=None,
            rx_number=None,
            fill_number=None,
        ),
        DAY,
    )
    assert decision.status == Status.APPROVED
    # 001 met $250 of the $500 family deductible: 002 has min($250, $250) left
    assert decision.remaining.deductible_remaining == 25000
    assert decision.remaining.out_of_pocket_remaining == 300000
    assert decision.remaining.out_of_pocket_family_remaining == 600000 - 32000
    assert processor.accumulators.snapshot(KEY).version == before.version


def test_unsupported_transaction_code_is_rejected_1s(processor, claim):
    decision = processor.process(claim(FAMILY, "001", BRAND_B, 8, transaction_code="P1"), DAY)
    assert [r.code.code for r in decision.rejects] == ["1S"]
