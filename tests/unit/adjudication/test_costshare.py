"""Cost share arithmetic on its own, every expected amount worked by hand."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.adjudication.costshare import CostShareInputs, compute_cost_share
from engine.plans.plan import CostShare


def inputs(spec: CostShare, allowed: int, **changes) -> CostShareInputs:
    base = {
        "allowed": allowed,
        "penalty": 0,
        "spec": spec,
        "deductible_applies": True,
        "deductible_remaining": None,
        "out_of_pocket_remaining": None,
        "cap": None,
        "cap_label": None,
        "penalty_counts_toward_out_of_pocket": False,
    }
    base.update(changes)
    return CostShareInputs(**base)


COPAY_10 = CostShare(copay="10")
COINS_25 = CostShare(coinsurance="25%")


def test_copay_never_exceeds_the_price():
    assert compute_cost_share(inputs(COPAY_10, 799)).patient_pay == 799


def test_coinsurance_rounds_half_up_to_the_cent():
    # 25% of $10.01 = $2.5025 -> $2.50; 25% of $10.02 = $2.505 -> $2.51
    assert compute_cost_share(inputs(COINS_25, 1001)).coinsurance == 250
    assert compute_cost_share(inputs(COINS_25, 1002)).coinsurance == 251


def test_coinsurance_minimum_and_maximum():
    spec = CostShare(coinsurance="20%", minimum="25", maximum="75")
    assert compute_cost_share(inputs(spec, 5000)).coinsurance == 2500  # 20% = $10 -> $25
    assert compute_cost_share(inputs(spec, 50000)).coinsurance == 7500  # 20% = $100 -> $75
    assert compute_cost_share(inputs(spec, 2000)).coinsurance == 2000  # $25 min > $20 price


@pytest.mark.parametrize(
    ("combine", "allowed", "copay", "coinsurance"),
    [
        ("lesser", 10000, 0, 2000),  # 20% = $20 < $30 copay
        ("lesser", 20000, 3000, 0),  # $30 copay < 20% = $40
        ("greater", 10000, 3000, 0),  # $30 copay > $20
        ("greater", 20000, 0, 4000),  # $40 > $30
    ],
)
def test_lesser_and_greater_of_copay_and_coinsurance(combine, allowed, copay, coinsurance):
    spec = CostShare(copay="30", coinsurance="20%", combine=combine)
    result = compute_cost_share(inputs(spec, allowed))
    assert (result.copay, result.coinsurance) == (copay, coinsurance)


def test_deductible_straddle_then_coinsurance_on_the_rest():
    result = compute_cost_share(inputs(COINS_25, 20000, deductible_remaining=5000))
    # $50 deductible, 25% of $150 = $37.50
    assert (result.deductible, result.coinsurance, result.patient_pay) == (5000, 3750, 8750)
    assert result.out_of_pocket == 8750


def test_cap_reduces_the_share_before_the_deductible():
    result = compute_cost_share(
        inputs(COINS_25, 40000, deductible_remaining=10000, cap=3500, cap_label="cap")
    )
    # $100 deductible + 25% of $300 = $75 -> $175 total, capped at $35: the coinsurance is
    # cut first ($75 -> $0), then the deductible ($100 -> $35)
    assert (result.deductible, result.coinsurance, result.patient_pay) == (3500, 0, 3500)
    assert result.capped_by == "cap"


def test_out_of_pocket_limit_and_a_penalty_that_does_not_count():
    result = compute_cost_share(inputs(COPAY_10, 30000, penalty=20000, out_of_pocket_remaining=400))
    # penalty $200 aside; $10 copay on $100 but only $4 of out-of-pocket remains
    assert (result.copay, result.penalty, result.patient_pay) == (400, 20000, 20400)
    assert result.out_of_pocket == 400


def test_penalty_that_counts_is_limited_by_the_maximum_too():
    result = compute_cost_share(
        inputs(
            COPAY_10,
            30000,
            penalty=20000,
            out_of_pocket_remaining=1500,
            penalty_counts_toward_out_of_pocket=True,
        )
    )
    # $10 copay + $200 penalty = $210 countable, $15 remaining: copay cut to $0, penalty to $15
    assert (result.copay, result.penalty, result.patient_pay, result.out_of_pocket) == (
        0,
        1500,
        1500,
        1500,
    )


@st.composite
def specs(draw) -> CostShare:
    kind = draw(st.sampled_from(["copay", "coinsurance", "lesser", "greater"]))
    copay_cents = draw(st.integers(0, 20000))
    copay = f"{copay_cents // 100}.{copay_cents % 100:02d}"
    percent = f"{draw(st.integers(0, 100))}%"
    if kind == "copay":
        return CostShare(copay=copay)
    if kind == "coinsurance":
        return CostShare(coinsurance=percent)
    return CostShare(copay=copay, coinsurance=percent, combine=kind)


maybe_cents = st.one_of(st.none(), st.integers(0, 1_000_000))


@given(
    spec=specs(),
    allowed=st.integers(0, 2_000_000),
    penalty=st.integers(0, 500_000),
    deductible=maybe_cents,
    oop=maybe_cents,
    cap=maybe_cents,
    counts=st.booleans(),
)
def test_member_share_stays_within_every_limit(
    spec, allowed, penalty, deductible, oop, cap, counts
):
    result = compute_cost_share(
        inputs(
            spec,
            allowed,
            penalty=penalty,
            deductible_remaining=deductible,
            out_of_pocket_remaining=oop,
            cap=cap,
            cap_label="cap",
            penalty_counts_toward_out_of_pocket=counts,
        )
    )
    assert 0 <= result.patient_pay <= allowed
    assert result.plan_pay == allowed - result.patient_pay
    assert result.patient_pay == (
        result.deductible + result.copay + result.coinsurance + result.penalty
    )
    if deductible is not None:
        assert result.deductible <= deductible
    if oop is not None:
        assert result.out_of_pocket <= oop
    if cap is not None:
        assert result.deductible + result.copay + result.coinsurance <= cap
    assert Decimal(result.out_of_pocket) <= Decimal(result.patient_pay)
