"""The order of benefit determination: each rule, and that the decision names it."""

import datetime as dt

from engine.cob.coverage import MedicareEntitlement, OtherCoverage
from engine.cob.order import CoverageView, Patient, determine_order
from engine.cob.payers import Custody, Employment, MedicareBasis, PayerKind

DAY = dt.date(2026, 3, 2)
START = dt.date(2026, 1, 1)


def _other(kind: PayerKind, bin_: str, order: int | None = None) -> OtherCoverage:
    return OtherCoverage(kind, None, bin_, None, None, "X1", None, {}, START, None, order)


def ours(kind=PayerKind.GROUP_HEALTH, relationship="1", **facts) -> CoverageView:
    facts.setdefault("start", START)
    if kind is PayerKind.GROUP_HEALTH:
        facts.setdefault("employment", Employment.ACTIVE)
    return CoverageView("this plan", kind, relationship, **facts)


def theirs(kind=PayerKind.GROUP_HEALTH, relationship="1", bin_="012345", **facts) -> CoverageView:
    facts.setdefault("start", START)
    if kind is PayerKind.GROUP_HEALTH:
        facts.setdefault("employment", Employment.ACTIVE)
    pinned = facts.pop("pinned", None)
    return CoverageView(
        f"{kind.value} BIN {bin_}",
        kind,
        relationship,
        pinned=pinned,
        other=_other(kind, bin_, pinned),
        **facts,
    )


def _place(views, age=40, medicare=None):
    order = determine_order(views, Patient(DAY, age, medicare))
    return order.position, order.rule


def test_subscriber_before_dependent():
    assert _place([ours(relationship="1"), theirs(relationship="2")]) == (
        1,
        "subscriber-before-dependent",
    )
    assert _place([ours(relationship="2"), theirs(relationship="1")]) == (
        2,
        "subscriber-before-dependent",
    )


def test_birthday_rule_compares_month_and_day_only():
    # our parent born 1990-03-15, theirs 1970-08-15: March comes first whatever the year
    order = determine_order(
        [
            ours(relationship="3", subscriber_birthday=(3, 15)),
            theirs(relationship="3", subscriber_birthday=(8, 15)),
        ],
        Patient(DAY, 9),
    )
    assert (order.position, order.rule) == (1, "birthday")
    assert "03-15" in order.reason
    later = [
        ours(relationship="3", subscriber_birthday=(12, 1)),
        theirs(relationship="3", subscriber_birthday=(1, 31)),
    ]
    assert _place(later, age=9) == (2, "birthday")


def test_same_birthday_falls_to_the_longer_coverage():
    views = [
        ours(relationship="3", subscriber_birthday=(5, 5), start=dt.date(2020, 1, 1)),
        theirs(relationship="3", subscriber_birthday=(5, 5), start=dt.date(2024, 1, 1)),
    ]
    assert _place(views, age=9) == (1, "longer-coverage")


def test_custody_order_beats_the_birthday_rule():
    # the custodial parent's spouse pays before the non-custodial parent, even though
    # the non-custodial parent's birthday comes first
    views = [
        ours(relationship="3", custody=Custody.CUSTODIAL_SPOUSE, subscriber_birthday=(11, 1)),
        theirs(relationship="3", custody=Custody.NON_CUSTODIAL, subscriber_birthday=(1, 1)),
        theirs(relationship="3", bin_="099999", custody=Custody.CUSTODIAL),
    ]
    order = determine_order(views, Patient(DAY, 9))
    assert (order.position, order.rule) == (2, "custody")
    assert [(p.position, p.coverage.other.bin, p.rule) for p in order.others] == [
        (1, "099999", "custody"),
        (3, "012345", "custody"),
    ]


def test_active_before_retired_and_cobra_after():
    retired = [ours(employment=Employment.RETIRED), theirs(employment=Employment.ACTIVE)]
    assert _place(retired) == (2, "active-before-retired")
    cobra = [ours(employment=Employment.ACTIVE), theirs(employment=Employment.COBRA)]
    assert _place(cobra) == (1, "cobra-pays-after")


def test_medicare_working_aged_large_employer_pays_first():
    views = [ours(PayerKind.MEDICARE), theirs(relationship="2", employer_size=250)]
    assert _place(views, age=68) == (2, "msp-working-aged")


def test_medicare_working_aged_small_employer_medicare_first():
    views = [ours(PayerKind.MEDICARE), theirs(employer_size=19)]
    assert _place(views, age=68) == (1, "msp-medicare-primary")


def test_medicare_before_retiree_and_cobra_coverage():
    retiree = [ours(PayerKind.MEDICARE), theirs(employment=Employment.RETIRED)]
    assert _place(retiree, age=70) == (1, "msp-medicare-primary")
    cobra = [ours(PayerKind.MEDICARE), theirs(employment=Employment.COBRA, employer_size=500)]
    assert _place(cobra, age=70) == (1, "msp-medicare-primary")


def test_disability_needs_one_hundred_employees():
    views = [ours(PayerKind.MEDICARE), theirs(employer_size=99)]
    assert _place(views, age=50) == (1, "msp-medicare-primary")
    views = [ours(PayerKind.MEDICARE), theirs(employer_size=100)]
    assert _place(views, age=50) == (2, "msp-disability")


def test_esrd_coordination_period_is_thirty_months():
    # coordination period from 2023-09-01: 30 months end on 2026-03-01
    views = [ours(PayerKind.MEDICARE), theirs(employment=Employment.RETIRED)]
    esrd = MedicareEntitlement(MedicareBasis.ESRD, dt.date(2023, 9, 2))
    # from 2023-09-02 the period ends on 2026-03-02: the claim of 2026-03-02 is past it
    assert _place(views, age=60, medicare=esrd) == (1, "msp-esrd")
    inside = MedicareEntitlement(MedicareBasis.ESRD, dt.date(2023, 9, 3))
    # from 2023-09-03 it ends on 2026-03-03: the group plan still pays first
    assert _place(views, age=60, medicare=inside) == (2, "msp-esrd")


def test_medicaid_and_assistance_programs_pay_last():
    assert _place([ours(), theirs(PayerKind.MEDICAID)]) == (1, "medicaid-pays-last")
    assert _place([ours(PayerKind.MEDICAID), theirs()]) == (2, "medicaid-pays-last")
    assert _place([ours(PayerKind.MEDICARE), theirs(PayerKind.SPAP)], age=70) == (
        1,
        "assistance-pays-last",
    )


def test_workers_compensation_pays_first():
    assert _place([ours(), theirs(PayerKind.WORKERS_COMP)]) == (2, "injury-payer-first")


def test_order_on_file_wins_and_the_rest_fill_by_the_rules():
    views = [
        ours(PayerKind.MEDICARE),
        theirs(PayerKind.CHARITY, bin_="022222", pinned=1),
    ]
    assert _place(views, age=70) == (2, "order-on-file")


def test_three_payers_each_placed_with_its_rule():
    # Medicare (age 70), a retiree plan, Medicaid: Medicare first, the retiree plan
    # second (MSP), Medicaid last
    views = [
        ours(employment=Employment.RETIRED),
        theirs(PayerKind.MEDICARE, bin_="011111"),
        theirs(PayerKind.MEDICAID, bin_="033333"),
    ]
    order = determine_order(views, Patient(DAY, 70))
    assert (order.position, order.rule) == (2, "msp-medicare-primary")
    assert [(p.position, p.coverage.other.bin, p.rule) for p in order.others] == [
        (1, "011111", "msp-medicare-primary"),
        (3, "033333", "medicaid-pays-last"),
    ]


def test_no_rule_decides_the_order_is_undetermined():
    views = [ours(relationship="3"), theirs(relationship="3")]
    order = determine_order(views, Patient(DAY, 9))
    assert order.position is None
    assert "put the order on file" in order.problem
