"""The four secondary payment methods on one worked example, arithmetic in each test.

Allowed A = $100.00; this plan alone: patient S = $30.00 (30% coinsurance), plan
N = $70.00. The primary paid P = $60.00.
"""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.adjudication.trace import Trace
from engine.cob.methods import SecondaryInputs, secondary_payment
from engine.money import percent_of


def _inputs(balance: int) -> SecondaryInputs:
    return SecondaryInputs(
        allowed=10000,
        normal_patient_pay=3000,
        other_paid=6000,
        balance=balance,
        patient_share_of=lambda left: percent_of(left, Decimal("0.30")),
    )


@pytest.mark.parametrize(
    ("method", "plan_pay"),
    [
        # standard: min(N 70.00, A - P = 40.00) = 40.00; the patient owes 40.00 - 40.00 = 0
        ("standard", 4000),
        # non-duplication: N 70.00 - P 60.00 = 10.00; patient 40.00 - 10.00 = 30.00
        ("non_duplication", 1000),
        # carve-out: B 40.00 - S 30.00 = 10.00; patient 30.00 (this plan's own share)
        ("carve_out", 1000),
        # maintenance of benefits: A - P = 40.00; 30% of it = 12.00; plan 28.00, patient 12.00
        ("maintenance_of_benefits", 2800),
    ],
)
def test_primary_left_the_patient_the_whole_remainder(method, plan_pay):
    # the primary left B = A - P = $40.00 to the patient
    assert secondary_payment(method, _inputs(4000), Trace()) == plan_pay


@pytest.mark.parametrize(
    ("method", "plan_pay"),
    [
        # standard: min(70.00, 40.00) = 40.00, bounded to B 25.00: patient 0
        ("standard", 2500),
        # non-duplication: 70.00 - 60.00 = 10.00; patient 25.00 - 10.00 = 15.00
        ("non_duplication", 1000),
        # carve-out: B 25.00 - S 30.00 < 0: nothing; patient 25.00 (never more than B)
        ("carve_out", 0),
        # maintenance of benefits: 40.00 - 12.00 = 28.00, bounded to B 25.00: patient 0
        ("maintenance_of_benefits", 2500),
    ],
)
def test_primary_with_a_lower_price_left_the_patient_less(method, plan_pay):
    # the primary's contract left the patient only B = $25.00
    trace = Trace()
    assert secondary_payment(method, _inputs(2500), trace) == plan_pay


def test_the_payment_is_never_negative_and_the_trace_says_why():
    trace = Trace()
    inputs = SecondaryInputs(10000, 3000, 9500, 500, lambda left: percent_of(left, Decimal("0.30")))
    # non-duplication: N 70.00 - P 95.00 < 0: nothing
    assert secondary_payment("non_duplication", inputs, trace) == 0
    assert list(trace) == [
        "non-duplication: normal benefit $70.00 less other payers' $95.00 = $0.00"
    ]


@given(
    allowed=st.integers(1, 1_000_000),
    rate=st.sampled_from([Decimal("0.10"), Decimal("0.25"), Decimal("0.50")]),
    paid_share=st.floats(0, 0.999),
    balance_share=st.floats(0, 1),
    method=st.sampled_from(["standard", "non_duplication", "carve_out", "maintenance_of_benefits"]),
)
def test_every_method_pays_within_the_balance_and_never_raises_the_patient_pay(
    allowed, rate, paid_share, balance_share, method
):
    other_paid = int(allowed * paid_share)
    balance = int((allowed - other_paid) * balance_share)
    normal_patient = percent_of(allowed, rate)
    inputs = SecondaryInputs(
        allowed, normal_patient, other_paid, balance, lambda left: percent_of(left, rate)
    )
    pay = secondary_payment(method, inputs, Trace())
    patient = balance - pay
    # the plan never pays more than the patient still owed; the patient never pays more
    # than the earlier payers left, nor more than this plan alone would have charged
    assert 0 <= pay <= balance
    assert 0 <= patient <= min(balance, normal_patient)
