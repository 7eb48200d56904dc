"""Prior authorizations at adjudication, HMO Gold over the round-priced test tables.

Retail contract: AWP less 20% (or MAC) plus $2.00. Test drugs, 30 units unless said:
  PA DRUG (tier 3, PA required)        30 x $5.00 x 0.8 = $120.00 + $2.00 = $122.00
  QL DRUG (tier 1, 9 per 30 days)      18 x $5.00 x 0.8 = $72.00 + $2.00 = $74.00
  STEP DRUG (tier 2, after a statin)   $122.00;  ADULT ONLY, FEMALE ONLY (tier 1) $122.00
  GENERIC A (tier 1) 120 days          120 x MAC $0.50 = $60.00 + $2.00 = $62.00
  BRAND B (tier 3)                     30 x $20.00 x 0.8 = $480.00 + $2.00 = $482.00
HMO Gold: deductible $250 (tier 1 exempt); copays tier 1 $10 / $25 (retail 90),
tier 2 $35, tier 3 $70.
"""

import datetime as dt
from decimal import Decimal

import pytest

from engine.adjudication.decision import AuthorizationUsed, Status
from engine.adjudication.processor import ClaimProcessor
from engine.adjudication.response import response_transaction
from engine.adjudication.serialize import decision_from_dict, decision_to_dict
from engine.priorauth.directory import MemoryPriorAuthDirectory
from engine.priorauth.model import PriorAuthModel, prior_auth_from_model
from engine.store.memory import MemoryAccumulatorStore, MemoryClaimLedger

DAY = dt.date(2026, 3, 2)
FAMILY = "ZZT100001"
PA_DRUG, QL_DRUG, STEP_DRUG = "77777777701", "88888888801", "99999999901"
ADULT_ONLY, FEMALE_ONLY, GENERIC_A, BRAND_B = (
    "12121212101",
    "13131313101",
    "11111111101",
    "22222222201",
)


def approval(number, ndc=None, person="001", lifts="prior-authorization", **fields):
    data = {
        "number": number,
        "cardholder_id": FAMILY,
        "person_code": person,
        "start": "2026-03-01",
        "end": "2026-05-31",
        "lifts": lifts,
        "approved_by": "REVIEWER",
        **({"ndc": ndc} if ndc else {}),
        **fields,
    }
    return prior_auth_from_model(PriorAuthModel.model_validate(data))


@pytest.fixture
def approvals():
    return MemoryPriorAuthDirectory()


@pytest.fixture
def processor(catalog, approvals):
    return ClaimProcessor(
        catalog, MemoryAccumulatorStore(), MemoryClaimLedger(), prior_auths=approvals
    )


def codes(decision):
    return [r.code.code for r in decision.rejects]


def test_a_pa_drug_pays_once_approved_and_the_trace_names_the_pa(processor, approvals, claim):
    assert codes(processor.process(claim(FAMILY, "001", PA_DRUG, 1), DAY)) == ["75"]
    approvals.merge([approval("5001", PA_DRUG)])
    decision = processor.process(claim(FAMILY, "001", PA_DRUG, 1), DAY)
    assert decision.status == Status.PAID
    # $122.00, all to the $250 deductible
    assert (decision.figures.patient_pay, decision.figures.deductible) == (12200, 12200)
    assert decision.prior_authorization == AuthorizationUsed(
        "5001", dt.date(2026, 3, 1), dt.date(2026, 5, 31)
    )
    assert "PA 5001: prior authorization requirement met" in list(decision.trace)
    segment = response_transaction(decision, None).segment("26")
    assert segment is not None
    assert (segment.get("PY"), segment.get("PS"), segment.get("PT")) == (
        "5001",
        dt.date(2026, 3, 1),
        dt.date(2026, 5, 31),
    )
    assert decision_from_dict(decision_to_dict(decision)) == decision


def test_the_approval_holds_only_within_its_dates(processor, approvals, claim):
    approvals.merge([approval("5001", PA_DRUG)])

    def on(rx, day):
        return processor.process(claim(FAMILY, "001", PA_DRUG, rx, day), day)

    before, after = on(1, dt.date(2026, 2, 28)), on(2, dt.date(2026, 6, 1))
    assert (codes(before), codes(after)) == (["75"], ["75"])
    approvals.revoke("5001", dt.date(2026, 3, 10), "REVIEWER", "prescriber withdrew")
    # a month later, so the fill of the 10th is not the reason for a reject
    on_the_day, later = on(3, dt.date(2026, 3, 10)), on(4, dt.date(2026, 4, 11))
    assert (on_the_day.status, codes(later)) == (Status.PAID, ["75"])


def test_approved_quantity_replaces_the_limit_and_still_bounds_the_claim(
    processor, approvals, claim
):
    approvals.merge(
        [approval("5002", QL_DRUG, lifts="quantity-limit", quantity="18", per_days="30")]
    )
    within = processor.process(claim(FAMILY, "001", QL_DRUG, 1, quantity=Decimal(18)), DAY)
    # 18 units: $74.00 allowed, tier 1 copay $10.00
    assert (within.figures.patient_pay, within.figures.plan_pay) == (1000, 6400)
    beyond = processor.process(
        claim(FAMILY, "002", QL_DRUG, 2, quantity=Decimal(20)), DAY
    )  # another person: no approval, 9 per 30 days
    assert codes(beyond) == ["76"]
    approvals.merge(
        [approval("5003", QL_DRUG, "002", "quantity-limit", quantity="18", per_days="30")]
    )
    over = processor.process(claim(FAMILY, "002", QL_DRUG, 3, quantity=Decimal(20)), DAY)
    assert codes(over) == ["76"]
    assert "PA 5003: quantity limit 18 per 30 days" in over.messages


@pytest.mark.parametrize(
    ("person", "ndc", "lift", "reject", "patient_pay"),
    [
        ("001", STEP_DRUG, "step-therapy", "75", 12200),  # tier 2: $122 to the deductible
        ("003", ADULT_ONLY, "age-limit", "60", 1000),  # a 10-year-old; tier 1 copay
        ("002", FEMALE_ONLY, "gender-limit", "61", 1000),  # a man; tier 1 copay
    ],
)
def test_step_age_and_gender_limits_lifted(
    processor, approvals, claim, person, ndc, lift, reject, patient_pay
):
    assert codes(processor.process(claim(FAMILY, person, ndc, 1), DAY)) == [reject]
    approvals.merge([approval("5004", ndc, person, lift)])
    decision = processor.process(claim(FAMILY, person, ndc, 1), DAY)
    assert (decision.status, decision.figures.patient_pay) == (Status.PAID, patient_pay)


def test_an_approved_days_supply(processor, approvals, claim):
    long = claim(FAMILY, "001", GENERIC_A, 1, quantity=Decimal(120), days_supply=120)
    assert codes(processor.process(long, DAY)) == ["7X"]
    approvals.merge([approval("5005", GENERIC_A, lifts="days-supply-limit", max_days_supply="120")])
    decision = processor.process(long, DAY)
    # retail 90 channel: $62.00 allowed, tier 1 retail 90 copay $25.00
    assert (decision.figures.allowed, decision.figures.patient_pay) == (6200, 2500)


def test_a_tier_exception_prices_at_the_approved_tier(processor, approvals, claim):
    approvals.merge([approval("5006", BRAND_B, lifts="tier-exception", tier="2")])
    decision = processor.process(claim(FAMILY, "001", BRAND_B, 1), DAY)
    # $482.00: $250.00 deductible, then tier 2's $35.00 copay instead of tier 3's $70.00
    assert (decision.tier, decision.figures.deductible, decision.figures.copay) == (2, 25000, 3500)
    assert decision.figures.patient_pay == 28500


def test_the_most_specific_approval_applies(processor, approvals, claim):
    approvals.merge(
        [
            approval("6001", QL_DRUG, lifts="quantity-limit", quantity="12", per_days="30"),
            approval("6002", drug_group="QL", lifts="quantity-limit", quantity="18", per_days="30"),
        ]
    )
    decision = processor.process(claim(FAMILY, "001", QL_DRUG, 1, quantity=Decimal(18)), DAY)
    assert codes(decision) == ["76"]  # the NDC's approval (12) beats the group's (18)
    assert "PA 6001: quantity limit 12 per 30 days" in decision.messages


def test_a_submitted_pa_number_must_be_this_members_for_this_drug(processor, approvals, claim):
    approvals.merge([approval("7001", PA_DRUG), approval("7002", QL_DRUG)])

    def submit(rx, number, type_code="1"):
        return processor.process(
            claim(FAMILY, "001", PA_DRUG, rx, pa_number=number, pa_type_code=type_code), DAY
        )

    assert codes(submit(1, "7002")) == ["64"]
    assert codes(submit(2, "7003")) == ["EV"]
    assert codes(submit(3, "7001", None)) == ["EU"]
    paid = submit(4, "00000007001")
    assert (paid.status, paid.prior_authorization.number) == (Status.PAID, "7001")
