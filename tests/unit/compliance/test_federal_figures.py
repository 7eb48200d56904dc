"""Every federal figure, as the reference gives it, and the checks at its boundary.

Expected values, labels and a source of each are copied here from
../shared/reference/mandates.md (§1.1 ACA limits, §1.2 embedded limit, §2 HDHP,
§3.1-3.2 Part D), not from the rule files: a typo in a rule file fails here. Each
boundary test puts a plan exactly at the limit (passes) and one cent past it (fails).
"""

import datetime as dt
from decimal import Decimal

import pytest

from engine.compliance.checker import review_plan
from engine.compliance.results import Outcome

from .support import check, for_year, mandate_catalog, plan_variant

# plan year, self-only, other than self-only (dollars), label, a source (mandates.md §1.1)
ACA = [
    (2014, 6350, 12700, "VERIFIED-SECONDARY", "sbkbenefits.com/2013/05/2014-out-of-pocket"),
    (2015, 6600, 13200, "VERIFIED-SECONDARY", "obamacarefacts.com/health-insurance/out-of"),
    (2016, 6850, 13700, "VERIFIED-SECONDARY", "cdphp.com/health-care-reform"),
    (2017, 7150, 14300, "VERIFIED-SECONDARY", "buck.com/ca/hhs-finalizes-the-2018"),
    (2018, 7350, 14700, "VERIFIED-SECONDARY", "buck.com/ca/hhs-finalizes-the-2018"),
    (2019, 7900, 15800, "VERIFIED-SECONDARY", "shrm.org/mena/topics-tools"),
    (2020, 8150, 16300, "VERIFIED-SECONDARY", "cigna.com/employers-brokers"),
    (2021, 8550, 17100, "VERIFIED-SECONDARY", "cowdenassociates.com"),
    (2022, 8700, 17400, "VERIFIED-SECONDARY", "beckershospitalreview.com"),
    (2023, 9100, 18200, "VERIFIED-SECONDARY", "verywellhealth.com"),
    (2024, 9450, 18900, "VERIFIED-SECONDARY", "navigatorguide.georgetown.edu"),
    (2025, 9200, 18400, "VERIFIED-PRIMARY", "help.marketplace.virginia.gov"),
    (2026, 10600, 21200, "VERIFIED-SECONDARY", "wtwco.com/en-us/insights/2025/07"),
    (2027, 12000, 24000, "VERIFIED-SECONDARY", "milliman.com/en/insight/2027-aca"),
]

# year, min deductible self/family, max out-of-pocket self/family, a source (mandates.md §2)
HDHP = [
    (2018, 1350, 2700, 6650, 13300, "venturepopulist.com/index-1002"),
    (2019, 1350, 2700, 6750, 13500, "venturepopulist.com/index-1002"),
    (2020, 1400, 2800, 6900, 13800, "venturepopulist.com/index-1002"),
    (2021, 1400, 2800, 7000, 14000, "venturepopulist.com/index-1002"),
    (2022, 1400, 2800, 7050, 14100, "venturepopulist.com/index-1002"),
    (2023, 1500, 3000, 7500, 15000, "venturepopulist.com/index-1002"),
    (2024, 1600, 3200, 8050, 16100, "hdhpauthority.com"),
    (2025, 1650, 3300, 8300, 16600, "dbsbenefits.com"),
    (2026, 1700, 3400, 8500, 17000, "legalclarity.org"),
    (2027, 1750, 3500, 8700, 17400, "benefitslink.com/newsletters/2026/2026_05_29"),
]

# year, deductible, initial coinsurance, initial coverage limit, OOP threshold (§3.1)
PART_D = [
    (2024, 545, "0.25", 5030, 8000, "q1medicare.com/PartD-The-2024"),
    (2025, 590, "0.25", None, 2000, "cms.gov/inflation-reduction-act-and-medicare"),
    (2026, 615, "0.25", None, 2100, "mintz.com/insights-center/viewpoints/2146/2025-09-09"),
]


def _rule(name, section, year, state=None):
    library = mandate_catalog().mandates
    day = dt.date(year, 1, 1)
    found = [
        rule
        for rule_set in library.rule_sets
        if rule_set.file.mandates == name and rule_set.file.effective.covers(day)
        for rule in getattr(rule_set.file, section)
        if rule.plan_years.covers(day) and rule.state == state
    ]
    assert len(found) == 1, found
    return found[0]


def _cited(rule, fragment):
    return any(fragment in (source.url or "") for source in rule.citation.sources)


@pytest.mark.parametrize(("year", "self_only", "family", "status", "source"), ACA)
def test_aca_limit_matches_the_reference(year, self_only, family, status, source):
    rule = _rule("aca-cost-sharing", "out_of_pocket_limits", year)
    assert (rule.self_only, rule.other_than_self_only) == (self_only * 100, family * 100)
    assert rule.citation.status == status
    assert rule.citation.binding
    assert _cited(rule, source)


def test_2026_uses_the_revised_limit_not_the_superseded_one():
    # §1.1: the Oct 2024 figure $10,150 / $20,300 was replaced by $10,600 / $21,200
    rule = _rule("aca-cost-sharing", "out_of_pocket_limits", 2026)
    assert rule.self_only == 1_060_000
    assert "10,150" in rule.citation.note


def _commercial(year, individual, family, embedded=True):
    # PPO Silver is self-funded: only the federal rules reach it
    return plan_variant(
        "ppo-silver/2026",
        **for_year(year),
        deductible={"individual": "500", "family": "1000"},
        out_of_pocket={"individual": individual, "family": family, "embedded": embedded},
    )


@pytest.mark.parametrize(("year", "self_only", "family", "status", "source"), ACA)
def test_aca_limit_exactly_met_passes_and_one_cent_over_fails(
    year, self_only, family, status, source
):
    catalog = mandate_catalog()
    at = review_plan(_commercial(year, str(self_only), str(family)), catalog)
    assert check(at, "/self-only").outcome is Outcome.PASS
    assert check(at, "/other-than-self-only").outcome is Outcome.PASS
    over_self = review_plan(_commercial(year, f"{self_only}.01", str(family)), catalog)
    assert check(over_self, "/self-only").outcome is Outcome.FAIL
    assert check(over_self, "/self-only").value_cents == self_only * 100 + 1
    over_family = review_plan(_commercial(year, str(self_only), f"{family}.01"), catalog)
    assert check(over_family, "/other-than-self-only").outcome is Outcome.FAIL


def test_embedded_self_only_rule_is_cited_from_2016():
    # §1.2: 2016 NBPP, VERIFIED-SECONDARY (Byrne, Scirocco, healthinsurance.org, Cigna, NIS)
    rule = _rule("aca-cost-sharing", "embedded_self_only_limits", 2016)
    assert rule.plan_years.from_ == dt.date(2016, 1, 1)
    assert rule.citation.status == "VERIFIED-SECONDARY"
    assert _cited(rule, "byrnebyrne.com/cost-sharing-limits-changing-for-2016")
    with pytest.raises(AssertionError):
        _rule("aca-cost-sharing", "embedded_self_only_limits", 2015)


def test_embedded_limit_fails_an_aggregate_family_limit_above_self_only():
    catalog = mandate_catalog()
    # 2026: an aggregate $21,200 family limit lets one person reach $21,200 > $10,600
    aggregate = review_plan(_commercial(2026, "10600", "21200", embedded=False), catalog)
    assert check(aggregate, "/per-person").outcome is Outcome.FAIL
    # an aggregate family limit exactly at the self-only limit passes, one cent over fails
    at = review_plan(_commercial(2026, "5000", "10600", embedded=False), catalog)
    assert check(at, "/per-person").outcome is Outcome.PASS
    over = review_plan(_commercial(2026, "5000", "10600.01", embedded=False), catalog)
    assert check(over, "/per-person").outcome is Outcome.FAIL
    # 2015: no embedded rule yet (the ACA family limit alone applies)
    before = review_plan(_commercial(2015, "6600", "13200", embedded=False), catalog)
    assert not [c for c in before.checks if c.id.endswith("/per-person")]


@pytest.mark.parametrize(("year", "ded_self", "ded_family", "oop_self", "oop_family", "src"), HDHP)
def test_hdhp_limits_match_the_reference(year, ded_self, ded_family, oop_self, oop_family, src):
    rule = _rule("hdhp-hsa", "hdhp_limits", year)
    assert (rule.minimum_deductible.self_only, rule.minimum_deductible.family) == (
        ded_self * 100,
        ded_family * 100,
    )
    assert (rule.maximum_out_of_pocket.self_only, rule.maximum_out_of_pocket.family) == (
        oop_self * 100,
        oop_family * 100,
    )
    assert rule.citation.status == "VERIFIED-SECONDARY"
    assert _cited(rule, src)


def _hdhp(year, ded, oop, start=(1, 1)):
    return plan_variant(
        "hdhp-hsa/2026-2027",
        **for_year(year, start),
        deductible={"individual": ded[0], "family": ded[1]},
        out_of_pocket={"individual": oop[0], "family": oop[1]},
    )


@pytest.mark.parametrize(("year", "ded_self", "ded_family", "oop_self", "oop_family", "src"), HDHP)
def test_hdhp_boundaries(year, ded_self, ded_family, oop_self, oop_family, src):
    catalog = mandate_catalog()
    ded = (str(ded_self), str(ded_family))
    oop = (str(oop_self), str(oop_family))
    at = review_plan(_hdhp(year, ded, oop), catalog)
    for aspect in (
        "minimum-deductible-self-only",
        "minimum-deductible-family",
        "maximum-out-of-pocket-self-only",
        "maximum-out-of-pocket-family",
    ):
        assert check(at, aspect).outcome is Outcome.PASS, aspect
    below = review_plan(_hdhp(year, (f"{ded_self - 1}.99", f"{ded_family - 1}.99"), oop), catalog)
    assert check(below, "minimum-deductible-self-only").outcome is Outcome.FAIL
    assert check(below, "minimum-deductible-family").outcome is Outcome.FAIL
    over = review_plan(_hdhp(year, ded, (f"{oop_self}.01", f"{oop_family}.01")), catalog)
    assert check(over, "maximum-out-of-pocket-self-only").outcome is Outcome.FAIL
    assert check(over, "maximum-out-of-pocket-family").outcome is Outcome.FAIL


def test_hdhp_plan_year_starting_in_july_is_checked_but_only_as_advisory():
    # the IRS figures are per calendar year; the reference does not say which year a
    # July-June plan year takes, so those checks never fail the plan
    plan = _hdhp(2026, ("1699.99", "3400"), ("5000", "10000"), (7, 1))
    report = review_plan(plan, mandate_catalog())
    result = check(report, "minimum-deductible-self-only")
    assert result.outcome is Outcome.ADVISORY_FAIL
    assert result not in report.failures


def test_hdhp_embedded_deductible_at_least_the_family_minimum():
    # §2 (Cigna, VERIFIED-SECONDARY): an embedded individual deductible >= family minimum
    catalog = mandate_catalog()
    at = plan_variant(
        "hdhp-hsa/2026-2027",
        **for_year(2026),
        deductible={"individual": "3400", "family": "6800", "embedded": True},
        out_of_pocket={"individual": "5000", "family": "10000"},
    )
    assert check(review_plan(at, catalog), "embedded-deductible").outcome is Outcome.PASS
    below = plan_variant(
        "hdhp-hsa/2026-2027",
        **for_year(2026),
        deductible={"individual": "3399.99", "family": "6800", "embedded": True},
        out_of_pocket={"individual": "5000", "family": "10000"},
    )
    assert check(review_plan(below, catalog), "embedded-deductible").outcome is Outcome.FAIL


@pytest.mark.parametrize(("year", "deductible", "coinsurance", "icl", "threshold", "src"), PART_D)
def test_part_d_parameters_match_the_reference(year, deductible, coinsurance, icl, threshold, src):
    rule = _rule("medicare-part-d", "part_d_standard_benefits", year)
    assert rule.deductible == deductible * 100
    assert rule.initial_coinsurance == Decimal(coinsurance)
    assert rule.initial_coverage_limit == (None if icl is None else icl * 100)
    assert rule.out_of_pocket_threshold == threshold * 100
    assert rule.catastrophic_cost_sharing == 0
    assert rule.citation.status == "VERIFIED-SECONDARY"
    assert _cited(rule, src)


def _part_d(year, deductible, threshold):
    return plan_variant(
        "medicare-part-d/2026",
        **for_year(year),
        deductible={"individual": deductible},
        out_of_pocket={"individual": threshold},
    )


@pytest.mark.parametrize(("year", "deductible", "coinsurance", "icl", "threshold", "src"), PART_D)
def test_part_d_boundaries(year, deductible, coinsurance, icl, threshold, src):
    catalog = mandate_catalog()
    rule = f"part-d-{year}"
    at = review_plan(_part_d(year, str(deductible), str(threshold)), catalog)
    assert check(at, f"{rule}/deductible").outcome is Outcome.PASS
    assert check(at, f"{rule}/out-of-pocket-threshold").outcome is Outcome.PASS
    assert check(at, f"{rule}/catastrophic").outcome is Outcome.PASS
    over = review_plan(_part_d(year, f"{deductible}.01", f"{threshold}.01"), catalog)
    assert check(over, f"{rule}/deductible").outcome is Outcome.FAIL
    assert check(over, f"{rule}/out-of-pocket-threshold").outcome is Outcome.FAIL


def test_part_d_insulin_cap_is_35_a_month_without_deductible():
    # §3.2: $35 per one-month supply, no deductible, from 2023; VERIFIED-PRIMARY (Medicare.gov)
    rule = _rule("medicare-part-d", "drug_cost_share_caps", 2026)
    assert (rule.amount, rule.per_days, rule.deductible) == (3500, 30, "not_applied")
    assert rule.drug_classes == {"insulin"}
    assert rule.citation.status == "VERIFIED-PRIMARY"
    assert _cited(rule, "medicare.gov/about-us/inflation-reduction-act")


def test_part_d_insulin_cap_exactly_met_passes_and_one_cent_over_fails():
    catalog = mandate_catalog()
    at = plan_variant(
        "medicare-part-d/2026",
        caps=[{"drug_class": "insulin", "amount": "35", "per_days": 30}],
    )
    report = review_plan(at, catalog)
    assert check(report, "part-d-insulin/tier-2/retail_30").outcome is Outcome.PASS
    # a 90-day supply: three months, $105 (plan cap 3 x $35)
    assert check(report, "part-d-insulin/tier-2/retail_90").value == "$70.00 for 60 days"
    over = plan_variant(
        "medicare-part-d/2026",
        caps=[{"drug_class": "insulin", "amount": "35.01", "per_days": 30}],
    )
    result = check(review_plan(over, catalog), "part-d-insulin/tier-2/retail_30")
    assert (result.outcome, result.value_cents, result.limit_cents) == (Outcome.FAIL, 3501, 3500)
    through_deductible = plan_variant(
        "medicare-part-d/2026",
        deductible={"exempt_classes": []},
        caps=[{"drug_class": "insulin", "amount": "35", "deductible_applies": True}],
    )
    result = check(review_plan(through_deductible, catalog), "part-d-insulin/deductible")
    assert result.outcome is Outcome.FAIL
