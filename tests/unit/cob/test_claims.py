"""Coordination of benefits through the claim processor, over the round-priced test tables.

Prices (tests/data/catalog): retail is AWP less 20% or MAC, plus a $2.00 fee.
INSULIN X, 10 units: 10 x $40.00 x 0.80 + $2.00 = $322.00, no deductible anywhere.
STATIN P (preventive), MAC $0.20: 90 units = $18.00 + $2.00 = $20.00.
BRAND B, 30 units: 30 x $20.00 x 0.80 + $2.00 = $482.00.
"""

import datetime as dt

import pytest

from engine.adjudication.decision import Status
from engine.claim import OtherPayerResult, QualifiedAmount

from conftest import make_claim

DAY = dt.date(2026, 3, 2)
INSULIN, STATIN, BRAND_B = "33333333301", "55555555501", "22222222201"
# the child of the custody trio: mother's PPO (custodial), her spouse's EPO, father's HMO
TRIO_PPO, TRIO_EPO, TRIO_HMO = ("ZZT610001", "002"), ("ZZT620001", "003"), ("ZZT630001", "002")
# parents living together: HMO (mother, cardholder of ZZT640001), PPO (father, ZZT650001)
MOTHER_HMO, MOTHER_PPO = ("ZZT640001", "001"), ("ZZT650001", "003")
FATHER_HMO, FATHER_PPO = ("ZZT640001", "003"), ("ZZT650001", "001")
RETIREE_HDHP = ("ZZT660001", "001")
PART_D_GHP, PART_D_CHARITY = ("ZZT670001", "001"), ("ZZT680001", "001")
RXADJ_BIN = "610999"


def paid_by(place: str, payer_id: str, paid: int, patient: int) -> OtherPayerResult:
    """An earlier payer that paid ``paid`` and left the patient ``patient`` (OCC 2)."""
    return OtherPayerResult(
        coverage_type=place,
        id_qualifier="03",
        payer_id=payer_id,
        date=DAY,
        amounts_paid=(QualifiedAmount("07", paid),),
        patient_responsibility=(QualifiedAmount("06", patient),),
    )


def bill(processor, member, ndc, rx, occ="1", others=(), **changes):
    card, person = member
    claim = make_claim(
        card, person, ndc, rx, DAY, other_coverage_code=occ, other_payers=tuple(others), **changes
    )
    return processor.process(claim, DAY)


def pays(decision):
    assert decision.status == Status.PAID, decision.rejects
    return decision.figures.plan_pay, decision.figures.patient_pay


def codes(decision):
    assert decision.status == Status.REJECTED
    return [r.code.code for r in decision.rejects]


# --- primary, secondary, tertiary for one fill ---------------------------------------


def test_one_fill_billed_to_primary_secondary_and_tertiary(processor):
    # primary, the PPO: 20% of $322.00 = $64.40, limited by the $50 insulin cap
    first = bill(processor, TRIO_PPO, INSULIN, 1, quantity=10)
    assert pays(first) == (27200, 5000)
    assert first.figures.cob is None
    # it tells the pharmacy whom to bill next: the EPO (secondary), the HMO (tertiary)
    assert [(p.coverage_type, p.bin, p.pcn) for p in first.other_payers] == [
        ("02", RXADJ_BIN, "RXADJEPO"),
        ("03", RXADJ_BIN, "RXADJHMO"),
    ]
    assert "BILL NEXT: BIN 610999 PCN RXADJEPO (secondary)" in first.messages

    # secondary, the EPO by carve-out: alone it would charge $35.00 (its $35 insulin
    # cap); the PPO left $50.00, so it pays $50.00 - $35.00 = $15.00
    primary = paid_by("01", RXADJ_BIN, 27200, 5000)
    second = bill(processor, TRIO_EPO, INSULIN, 1, occ="2", others=[primary], quantity=10)
    assert pays(second) == (1500, 3500)
    assert (second.figures.cob.payer_seq, second.figures.cob.method) == (2, "carve_out")
    assert "BILL NEXT: BIN 610999 PCN RXADJHMO (tertiary)" in second.messages

    # tertiary, the HMO by standard COB: its normal benefit is $322.00 - $35.00 copay =
    # $287.00; the others paid $272.00 + $15.00 = $287.00, leaving $35.00 of the allowed
    # amount and $35.00 to the patient: it pays min($287.00, $35.00) = $35.00
    secondary = paid_by("02", RXADJ_BIN, 1500, 3500)
    third = bill(processor, TRIO_HMO, INSULIN, 1, occ="2", others=[primary, secondary], quantity=10)
    assert pays(third) == (3500, 0)
    cob = third.figures.cob
    assert (cob.payer_seq, cob.other_payer_paid, cob.other_payer_patient_responsibility) == (
        3,
        28700,
        3500,
    )
    # $272.00 + $15.00 + $35.00 = $322.00: the payers together paid the allowed amount
    assert third.figures.allowed == 27200 + 1500 + 3500
    # the patient paid nothing at the counter: no out-of-pocket credit at the HMO
    assert third.txn.deltas == {}


def test_tertiary_billed_with_only_the_primary_result_is_sent_to_the_secondary(processor):
    primary = paid_by("01", RXADJ_BIN, 27200, 5000)
    decision = bill(processor, TRIO_HMO, INSULIN, 2, occ="2", others=[primary], quantity=10)
    assert codes(decision) == ["41"]
    assert "bill BIN 610999 PCN RXADJEPO (secondary) first" in decision.rejects[0].message


def test_secondary_billed_first_is_sent_to_the_primary_with_its_details(processor):
    decision = bill(processor, TRIO_EPO, INSULIN, 3, quantity=10)
    # 41: submit bill to other processor or primary payer
    assert codes(decision) == ["41"]
    assert [(p.coverage_type, p.pcn, p.cardholder_id) for p in decision.other_payers] == [
        ("01", "RXADJPPO", "ZZT610001"),
        ("03", "RXADJHMO", "ZZT630001"),
    ]


def test_eligibility_says_which_rule_placed_the_plan(processor):
    card, person = TRIO_HMO
    decision = processor.process(make_claim(card, person, INSULIN, 4, transaction_code="E1"), DAY)
    assert "this plan pays tertiary by rule custody" in decision.messages
    card, person = MOTHER_PPO
    decision = processor.process(make_claim(card, person, INSULIN, 4, transaction_code="E1"), DAY)
    assert "this plan pays secondary by rule subscriber-before-dependent" in decision.messages
    decision = processor.process(
        make_claim("ZZT650001", "002", INSULIN, 4, transaction_code="E1"), DAY
    )
    assert "this plan pays secondary by rule birthday" in decision.messages
    card, person = RETIREE_HDHP
    decision = processor.process(make_claim(card, person, INSULIN, 4, transaction_code="E1"), DAY)
    assert "this plan pays secondary by rule active-before-retired" in decision.messages


# --- each method through a plan -------------------------------------------------------


def test_standard_method_hmo_secondary_pays_up_to_the_allowed_amount(processor):
    # father: the PPO (his own) pays first: $272.00, leaving him the $50 insulin cap
    primary = paid_by("01", RXADJ_BIN, 27200, 5000)
    decision = bill(processor, FATHER_HMO, INSULIN, 10, occ="2", others=[primary], quantity=10)
    # HMO alone: copay $35.00, plan $287.00. Standard: min($287.00, $322.00 - $272.00 =
    # $50.00) = $50.00, within the $50.00 balance: the patient pays nothing
    assert pays(decision) == (5000, 0)
    assert decision.figures.cob.recognized == 27200  # 32200 - 0 - 5000


def test_non_duplication_ppo_secondary_pays_only_the_difference(processor):
    # mother: the HMO (her own) pays first; STATIN 90 units, $20.00, copay $10.00
    first = bill(processor, MOTHER_HMO, STATIN, 11, quantity=90)
    assert pays(first) == (1000, 1000)
    primary = paid_by("01", RXADJ_BIN, 1000, 1000)
    decision = bill(processor, MOTHER_PPO, STATIN, 11, occ="2", others=[primary], quantity=90)
    # PPO alone: greater of $5.00 copay and 20% x $20.00 = $4.00: $5.00; plan $15.00.
    # Non-duplication: $15.00 - $10.00 paid by the HMO = $5.00; patient $10.00 - $5.00
    assert pays(decision) == (500, 500)
    # the patient really paid $5.00: that, not the normal $5.00 share, is credited
    assert decision.txn.deltas == {"oop:003:rx": 500}


def test_carve_out_epo_secondary_charges_its_own_cost_share(processor):
    primary = paid_by("01", RXADJ_BIN, 27200, 5000)
    decision = bill(processor, TRIO_EPO, INSULIN, 12, occ="2", others=[primary], quantity=10)
    # EPO alone: 25% of $322.00 = $80.50, limited by its $35 cap; carve-out: the patient
    # pays $35.00 and the EPO the rest of the $50.00 balance, $15.00
    assert pays(decision) == (1500, 3500)
    # the EPO's cap credits the deductible as it would without other coverage
    assert decision.txn.deltas == {"ded:003:rx": 3500, "oop:003:rx": 3500}


def test_maintenance_of_benefits_hdhp_secondary_after_an_employer_plan(processor):
    # STATIN 300 units: 300 x $0.20 + $2.00 = $62.00; the new employer's plan paid
    # $50.00 and left a $12.00 copay
    primary = OtherPayerResult(
        "01",
        "03",
        "012345",
        DAY,
        (QualifiedAmount("07", 5000),),
        (),
        (QualifiedAmount("05", 1200),),
    )
    decision = bill(processor, RETIREE_HDHP, STATIN, 13, occ="2", others=[primary], quantity=300)
    # HDHP: 10% coinsurance on what the primary left of the allowed amount:
    # $62.00 - $50.00 = $12.00; 10% = $1.20; the HDHP pays $10.80
    assert pays(decision) == (1080, 120)
    assert decision.figures.coinsurance == 120
    assert decision.figures.cob.method == "maintenance_of_benefits"


def test_the_secondary_credits_its_deductible_as_without_other_coverage(processor):
    # father: the PPO paid nothing (all $482.00 to its deductible): OCC 4 with the
    # amount applied to the deductible (351-NP 01)
    primary = OtherPayerResult("01", "03", RXADJ_BIN, DAY, (), (), (QualifiedAmount("01", 48200),))
    decision = bill(processor, FATHER_HMO, BRAND_B, 14, occ="4", others=[primary])
    # HMO alone: $250.00 deductible + $70.00 copay = $320.00; plan $162.00. Standard:
    # min($162.00, $482.00 - $0) = $162.00; the patient pays $482.00 - $162.00 = $320.00
    assert pays(decision) == (16200, 32000)
    assert (decision.figures.deductible, decision.figures.copay) == (25000, 7000)
    assert decision.txn.deltas == {"ded:003:rx": 25000, "oop:003:rx": 32000}


def test_other_coverage_code_3_pays_as_if_primary(processor):
    # the PPO rejected the claim (70, not covered): the HMO pays its normal benefit
    primary = OtherPayerResult("01", "03", RXADJ_BIN, DAY, (), ("70",), ())
    decision = bill(processor, FATHER_HMO, INSULIN, 15, occ="3", others=[primary], quantity=10)
    assert pays(decision) == (28700, 3500)


def test_other_coverage_code_8_bills_the_patient_responsibility_only(processor):
    primary = paid_by("01", RXADJ_BIN, 27200, 5000)
    decision = bill(processor, FATHER_HMO, INSULIN, 16, occ="8", others=[primary], quantity=10)
    # the $50.00 left by the PPO is what the HMO pays toward (standard: all of it)
    assert pays(decision) == (5000, 0)


def test_other_payers_paying_the_whole_allowed_amount_is_reject_74(processor):
    primary = paid_by("01", RXADJ_BIN, 32200, 0)
    decision = bill(processor, FATHER_HMO, INSULIN, 17, occ="2", others=[primary], quantity=10)
    assert codes(decision) == ["74"]


# --- Other Coverage Code validation ---------------------------------------------------


def _with(**fields) -> OtherPayerResult:
    base = {
        "coverage_type": "01",
        "id_qualifier": "03",
        "payer_id": RXADJ_BIN,
        "date": DAY,
        "amounts_paid": (),
        "reject_codes": (),
        "patient_responsibility": (),
    }
    return OtherPayerResult(**{**base, **fields})


PAID = (QualifiedAmount("07", 27200),)
LEFT = (QualifiedAmount("06", 5000),)


@pytest.mark.parametrize(
    ("occ", "others", "expected"),
    [
        # the secondary billed without the other payers' results: 4C
        ("2", [], ["4C"]),
        ("3", [], ["4C"]),
        # OCC 2 (payment collected) with nothing paid: 8W discrepancy
        ("2", [_with(patient_responsibility=LEFT)], ["8W"]),
        ("2", [_with(amounts_paid=(QualifiedAmount("07", 0),))], ["8W"]),
        # OCC 3 (claim not covered) needs the other payer's reject codes: 6E
        ("3", [_with()], ["6E"]),
        # OCC 3 or 4 with an amount paid: 8W
        ("3", [_with(amounts_paid=PAID, reject_codes=("70",))], ["8W"]),
        ("4", [_with(amounts_paid=PAID, patient_responsibility=LEFT)], ["8W"]),
        # OCC 4 and 8 need the other payer-patient responsibility: NR
        ("4", [_with()], ["NR"]),
        ("8", [_with(amounts_paid=PAID)], ["NR"]),
        # OCC 4 with reject codes: 13 (send 3)
        ("4", [_with(reject_codes=("70",), patient_responsibility=LEFT)], ["13"]),
        # OCC 0 or 1 with a COB segment: 13; OCC 5 was deleted in D.0: 13
        ("1", [_with(amounts_paid=PAID, patient_responsibility=LEFT)], ["13"]),
        ("5", [], ["13"]),
        # field checks inside the segment
        ("2", [_with(amounts_paid=(QualifiedAmount("07", -100),))], ["8V"]),
        ("2", [_with(coverage_type=None, amounts_paid=PAID)], ["5C"]),
        ("2", [_with(id_qualifier=None, amounts_paid=PAID)], ["6C"]),
        ("2", [_with(amounts_paid=(QualifiedAmount("99", 100),))], ["HC"]),
        ("4", [_with(patient_responsibility=(QualifiedAmount("09", 100),))], ["NP"]),
        ("3", [_with(reject_codes=("",))], ["6E"]),
    ],
)
def test_other_coverage_code_validation_rejects(processor, occ, others, expected):
    decision = bill(processor, FATHER_HMO, INSULIN, 20, occ=occ, others=others, quantity=10)
    assert codes(decision) == expected


def test_a_reject_in_the_segment_names_its_occurrence(processor):
    primary = _with(amounts_paid=PAID, patient_responsibility=LEFT)
    second = _with(coverage_type="02", payer_id=None, amounts_paid=PAID)
    decision = bill(processor, TRIO_HMO, INSULIN, 21, occ="2", others=[primary, second])
    assert [(r.code.code, r.field_id, r.occurrence) for r in decision.rejects] == [
        ("7C", "340-7C", 2)
    ]


def test_the_primary_refuses_a_claim_after_a_payer_that_pays_after_it(processor):
    # the PPO is the mother's secondary: billing the HMO after it is out of order
    secondary = _with(amounts_paid=(QualifiedAmount("07", 500),), patient_responsibility=LEFT)
    decision = bill(processor, MOTHER_HMO, STATIN, 22, occ="2", others=[secondary])
    assert codes(decision) == ["13"]


# --- Medicare Part D: what counts toward TrOOP --------------------------------------


def test_part_d_after_a_group_health_plan_only_the_patient_pay_counts(processor):
    # working aged: the spouse's employer plan (250 employees) pays first. BRAND B
    # $482.00; the employer plan paid $400.00 and left $82.00
    primary = paid_by("01", "011111", 40000, 8200)
    decision = bill(processor, PART_D_GHP, BRAND_B, 30, occ="2", others=[primary])
    # Part D alone: all $482.00 to the $615 deductible; plan $0. Standard: min($0, ...) = 0
    assert pays(decision) == (0, 8200)
    cob = decision.figures.cob
    # the liability the employer plan took off ($482.00 - $82.00 = $400.00) does not count
    assert (cob.other_troop, cob.plro) == (0, 40000)
    # TrOOP: only the $82.00 the patient paid; the deductible as without other coverage
    assert decision.txn.deltas == {"ded:001:rx": 48200, "oop:001:rx": 8200}
    assert decision.figures.out_of_pocket == 8200
    assert decision.remaining.out_of_pocket_remaining == 210000 - 8200
    assert decision.remaining.deductible_remaining == 61500 - 48200


def test_part_d_after_a_charity_its_payment_counts_toward_troop(processor):
    # the charity paid $200.00 of BRAND B's $482.00 and left the patient $282.00
    primary = paid_by("01", "022222", 20000, 28200)
    decision = bill(processor, PART_D_CHARITY, BRAND_B, 31, occ="2", others=[primary])
    assert pays(decision) == (0, 28200)
    cob = decision.figures.cob
    # the charity's $200.00 counts: $482.00 - $282.00 = $200.00 in other_troop
    assert (cob.other_troop, cob.plro) == (20000, 0)
    # TrOOP grows by $282.00 + $200.00 = $482.00
    assert decision.txn.deltas == {"ded:001:rx": 48200, "oop:001:rx": 48200}
    assert decision.remaining.out_of_pocket_remaining == 210000 - 48200


def test_part_d_payer_not_on_file_does_not_count(processor):
    # a payer rxadj cannot identify (on-file coverage may lag): the claim is paid, the
    # pharmacy is told, and its payment is kept apart as not counting toward TrOOP
    primary = paid_by("01", "099999", 20000, 28200)
    decision = bill(processor, PART_D_GHP, BRAND_B, 32, occ="2", others=[primary])
    assert pays(decision) == (0, 28200)
    assert "OTHER PAYER BIN 099999 NOT ON FILE" in decision.messages
    assert (decision.figures.cob.other_troop, decision.figures.cob.plro) == (0, 20000)
    assert decision.txn.deltas == {"ded:001:rx": 48200, "oop:001:rx": 28200}


def test_more_than_two_earlier_payers_is_reject_4c(processor):
    payers = [
        _with(coverage_type=f"0{n}", amounts_paid=(QualifiedAmount("07", 100),)) for n in (1, 2, 3)
    ]
    decision = bill(processor, TRIO_HMO, INSULIN, 23, occ="2", others=payers, quantity=10)
    assert codes(decision) == ["4C"]


def test_a_secondary_rebill_replaces_its_payment_exactly(processor):
    first_answer = paid_by("01", RXADJ_BIN, 27200, 5000)
    paid = bill(processor, TRIO_EPO, INSULIN, 24, occ="2", others=[first_answer], quantity=10)
    assert pays(paid) == (1500, 3500)
    # the PPO's claim was corrected: it now paid $302.00 and left $20.00. The EPO's
    # carve-out: $20.00 - its $35.00 share < 0: it pays nothing; the patient pays $20.00
    corrected = paid_by("01", RXADJ_BIN, 30200, 2000)
    rebill = bill(
        processor,
        TRIO_EPO,
        INSULIN,
        24,
        occ="2",
        others=[corrected],
        quantity=10,
        transaction_code="B3",
    )
    assert pays(rebill) == (0, 2000)
    # the deductible credit is the EPO's own $35.00 either way; out of pocket: the $20.00
    # the patient now pays, the original $35.00 reversed
    key = rebill.family
    amounts = processor.accumulators.snapshot(key).amounts
    assert (amounts["ded:003:rx"], amounts["oop:003:rx"]) == (3500, 2000)


def test_an_undetermined_order_is_said_and_the_claim_is_not_processed(processor):
    # no rule tells the HMO and the other plan apart (no birthday on file, same start)
    question = make_claim("ZZT690001", "002", INSULIN, 25, DAY, transaction_code="E1")
    eligibility = processor.process(question, DAY)
    assert eligibility.messages[1].startswith("coordination of benefits order undetermined")
    decision = bill(processor, ("ZZT690001", "002"), INSULIN, 25, quantity=10)
    # 85: claim not processed, until the order is put on file
    assert codes(decision) == ["85"]
    assert "put the order on file" in decision.rejects[0].message


def test_the_secondary_trace_names_the_rule_that_placed_it(processor):
    primary = paid_by("01", RXADJ_BIN, 27200, 5000)
    decision = bill(processor, FATHER_HMO, INSULIN, 26, occ="2", others=[primary], quantity=10)
    lines = list(decision.trace)
    assert (
        "order of benefits: rule subscriber-before-dependent (group_health BIN 610999 "
        "GROUP PPOSILV01 covers the patient as subscriber, the other as a dependent)"
    ) in lines
    assert (
        "payer 2 after others: they paid $272.00, left the patient $50.00; balance $50.00" in lines
    )
