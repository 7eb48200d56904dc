"""Each state rule, as the reference gives it, and the checks at its boundary.

Expected values are copied from ../shared/reference/mandates.md §4.1 (insulin caps),
§4.2 (specialty and other caps, point-of-sale rules) and §4.3 (accumulator bans).
Where the reference gives only a year, the rule starts on 1 January of the next year;
where it does not say how a cap meets the deductible, the rule file reads it as
counting everything the member pays (rules/compliance/README.md). ``binding`` is
False where the reference marks the figure, the date or the reach weaker than VERIFIED.
"""

import datetime as dt
import functools
from decimal import Decimal

import pytest

from engine.catalog.loader import load_catalog
from engine.compliance.checker import review_plan
from engine.compliance.effective import assistance_required
from engine.compliance.results import Outcome
from engine.plans.formulary import Drug

from .support import Exactly, check, for_year, mandate_catalog, plan_variant, wide_catalog
from conftest import REPO

D = dt.date
PER, ALL = "per_prescription", "all_prescriptions"
COUNTED, SKIPS, AFTER = "counted_in_cap", "not_applied", "after_deductible"

# rule id, state, $ per 30 days, basis, deductible, first plan year start, binding, law
INSULIN = [
    ("co-insulin-2020", "CO", 100, ALL, COUNTED, D(2020, 1, 1), True, "10-16-151"),
    ("il-insulin-2021", "IL", 100, PER, COUNTED, D(2021, 1, 1), True, "356z.41"),
    ("il-insulin-35", "IL", 35, PER, COUNTED, D(2025, 7, 1), False, "103-429"),
    ("me-insulin-2021", "ME", 35, PER, COUNTED, D(2021, 1, 1), True, "LD 2096"),
    ("nm-insulin-2021", "NM", 25, PER, COUNTED, D(2021, 1, 1), False, "13-7-25"),
    ("tx-insulin-2022", "TX", 25, PER, COUNTED, D(2022, 1, 1), True, "1358.103"),
    ("wa-insulin-2021", "WA", 100, PER, SKIPS, D(2021, 1, 1), True, "SB 5729"),
    ("wa-insulin-2023", "WA", 35, PER, SKIPS, D(2023, 1, 1), True, "SB 5729"),
    ("va-insulin-2021", "VA", 50, PER, COUNTED, D(2021, 1, 1), True, "HB 66"),
    ("ky-insulin-2022", "KY", 30, PER, SKIPS, D(2022, 1, 1), True, "HB 95"),
    ("md-insulin-2023", "MD", 30, PER, COUNTED, D(2023, 1, 1), True, "15-822.1"),
    ("de-insulin", "DE", 100, ALL, COUNTED, D(2021, 1, 1), False, "3560A"),
    ("wv-insulin-2021", "WV", 100, PER, COUNTED, D(2021, 7, 1), True, "HB 4543"),
    ("ny-insulin-2021", "NY", 100, PER, COUNTED, D(2021, 1, 1), False, "New York"),
    ("ut-insulin", "UT", 30, PER, COUNTED, D(2021, 1, 1), False, "Utah"),
]

# rule id, state, classes, $ per 30 days, deductible, first plan year start, binding, law
OTHER_CAPS = [
    ("la-specialty-2015", "LA", {"specialty"}, 150, AFTER, D(2015, 1, 1), True, "22:1060.5"),
    ("md-specialty-2015", "MD", {"specialty"}, 150, COUNTED, D(2015, 1, 1), True, "15-847"),
    (
        "md-diabetes-hiv-2023",
        "MD",
        {"diabetes", "hiv", "aids"},
        150,
        COUNTED,
        D(2023, 1, 1),
        True,
        "15-847.1",
    ),
    ("de-specialty", "DE", {"specialty"}, 150, COUNTED, D(2015, 1, 1), False, "3580"),
    ("ca-all-drugs-2017", "CA", {"*"}, 250, AFTER, D(2017, 1, 1), False, "10123.193"),
    ("dc-specialty-2018", "DC", {"specialty"}, 150, COUNTED, D(2018, 1, 1), False, "B21-0032"),
]

# rule id, state, condition, first plan year start, binding
BANS = [
    ("va-accumulator-ban", "VA", "always", D(2020, 1, 1), True),
    ("wv-accumulator-ban", "WV", "always", D(2020, 1, 1), True),
    ("az-accumulator-ban", "AZ", "no_generic_or_exception", D(2020, 1, 1), True),
    ("il-accumulator-ban", "IL", "always", D(2020, 1, 1), False),
    ("ar-accumulator-ban", "AR", "no_generic_or_exception", D(2022, 1, 1), True),
    ("ct-accumulator-ban", "CT", "always", D(2022, 1, 1), True),
    ("ga-accumulator-ban", "GA", "no_generic_or_exception", D(2022, 1, 1), False),
    ("me-accumulator-ban", "ME", "always", D(2023, 1, 1), True),
    ("wa-accumulator-ban", "WA", "always", D(2023, 1, 1), True),
    ("co-accumulator-ban", "CO", "no_generic_or_exception", D(2025, 1, 1), True),
]


def _rule(rule_id):
    found = [
        rule
        for rule_set in mandate_catalog().mandates.rule_sets
        for _, _, rule in rule_set.file.rules()
        if rule.id == rule_id
    ]
    assert len(found) == 1
    return found[0]


def _state_plan(state, year, tier_2=None, tier_4=None, start=(1, 1), **changes):
    """HMO Gold moved to ``state`` (fully insured, small group), without its own caps."""
    cost_share = changes.pop("cost_share", {})
    caps = changes.pop("caps", [])
    if tier_2 is not None:
        cost_share[2] = Exactly(
            {
                "retail_30": {"copay": tier_2},
                "retail_90": {"copay": str(2 * Decimal(tier_2))},
                "mail": {"copay": tier_2},
            }
        )
    if tier_4 is not None:
        cost_share[4] = Exactly({"specialty": {"copay": tier_4}})
    return plan_variant(
        "hmo-gold/2026",
        situs_state=state,
        caps=caps,
        cost_share=cost_share,
        **for_year(year, start),
        **changes,
    )


@pytest.mark.parametrize("row", INSULIN, ids=lambda row: row[0])
def test_insulin_cap_matches_the_reference(row):
    rule_id, state, amount, basis, deductible, start, binding, law = row
    rule = _rule(rule_id)
    assert (rule.state, rule.amount, rule.per_days) == (state, amount * 100, 30)
    assert (rule.basis, rule.deductible) == (basis, deductible)
    assert rule.drug_classes == {"insulin"}
    assert rule.plan_years.from_ == start
    assert rule.citation.binding is binding
    assert law in rule.citation.law
    assert rule.citation.reference == "mandates.md §4.1"


def test_washington_payments_still_count_toward_the_deductible():
    # §4.1: "Not subject to the deductible; cost sharing paid still applies to the deductible."
    assert _rule("wa-insulin-2023").credits_deductible
    assert _rule("wa-insulin-2021").plan_years.to == D(2022, 12, 31)


@pytest.mark.parametrize("row", INSULIN, ids=lambda row: row[0])
def test_insulin_cap_exactly_met_passes_and_one_cent_over_fails(row):
    rule_id, state, amount, _, _, start, binding, _ = row
    catalog = wide_catalog()
    year = {"year": start.year, "start": (start.month, start.day)}  # its first plan year
    at = review_plan(_state_plan(state, tier_2=str(amount), **year), catalog)
    result = check(at, f"{rule_id}/tier-2/retail_30")
    assert (result.passed, result.binding) == (True, binding)
    assert check(at, f"{rule_id}/tier-2/retail_90").passed  # 2 x the copay for 60 days
    over = review_plan(_state_plan(state, tier_2=f"{amount}.01", **year), catalog)
    result = check(over, f"{rule_id}/tier-2/retail_30")
    assert (result.passed, result.value_cents) == (False, amount * 100 + 1)
    assert result.limit_cents == amount * 100
    assert (result in over.failures) is binding
    assert result.outcome is (Outcome.FAIL if binding else Outcome.ADVISORY_FAIL)


@pytest.mark.parametrize("rule_id", ["wa-insulin-2023", "ky-insulin-2022"])
def test_no_deductible_rules_fail_a_plan_that_runs_insulin_through_the_deductible(rule_id):
    state = _rule(rule_id).state
    catalog = mandate_catalog()
    exempt = review_plan(_state_plan(state, 2026, tier_2="10"), catalog)
    assert check(exempt, f"{rule_id}/deductible").passed
    through = _state_plan(state, 2026, tier_2="10", deductible={"exempt_classes": []})
    result = check(review_plan(through, catalog), f"{rule_id}/deductible")
    assert (result.outcome, result.value) == (Outcome.FAIL, "the deductible applies in tier 2")
    # ... and counted_in_cap rules see the deductible as no ceiling at all
    co = review_plan(
        _state_plan("CO", 2026, tier_2="10", deductible={"exempt_classes": []}), catalog
    )
    assert check(co, "co-insulin-2020/tier-2/retail_30").value == "no limit for 30 days"


def _insulin_cap(amount, per_days=30, all_prescriptions=True):
    return {
        "drug_class": "insulin",
        "amount": amount,
        "per_days": per_days,
        "all_prescriptions": all_prescriptions,
    }


def test_all_prescription_caps_need_a_plan_cap_on_the_total():
    # §4.1: Colorado caps the whole 30-day supply "regardless of ... number of prescriptions":
    # a $35 copay per fill complies only when the plan also caps the period's total
    catalog = mandate_catalog()
    aspect = "co-insulin-2020/all-prescriptions"
    charging = review_plan(_state_plan("CO", 2026, tier_2="35"), catalog)
    assert check(charging, aspect).outcome is Outcome.FAIL
    assert "nothing limits the total" in check(charging, aspect).value
    free = review_plan(_state_plan("CO", 2026, tier_2="0"), catalog)
    assert check(free, aspect).outcome is Outcome.PASS
    capped = review_plan(_state_plan("CO", 2026, tier_2="35", caps=[_insulin_cap("100")]), catalog)
    assert check(capped, aspect).outcome is Outcome.PASS
    assert check(capped, aspect).value == "$100.00 for all prescriptions per 30 days"
    over = review_plan(_state_plan("CO", 2026, tier_2="35", caps=[_insulin_cap("100.01")]), catalog)
    assert check(over, aspect).outcome is Outcome.FAIL
    each = _insulin_cap("100", all_prescriptions=False)
    per_fill = review_plan(_state_plan("CO", 2026, tier_2="35", caps=[each]), catalog)
    assert check(per_fill, aspect).outcome is Outcome.FAIL
    other_period = _insulin_cap("100", per_days=31)
    longer = review_plan(_state_plan("CO", 2026, tier_2="35", caps=[other_period]), catalog)
    assert check(longer, aspect).outcome is Outcome.FAIL


def test_state_rules_do_not_reach_self_funded_plans_or_part_d():
    catalog = mandate_catalog()
    self_funded = review_plan(_state_plan("WA", 2026, tier_2="500", funding="self_funded"), catalog)
    assert not [c for c in self_funded.checks if "state-" in c.id]
    part_d = review_plan(plan_variant("medicare-part-d/2026", situs_state="WA", caps=[]), catalog)
    assert not [c for c in part_d.checks if "state-" in c.id]


def test_a_rule_before_its_first_plan_year_does_not_apply():
    catalog = wide_catalog()
    # Washington's $35 starts with plan years beginning 1/1/2023; 2022 is under the $100 cap
    report = review_plan(_state_plan("WA", 2022, tier_2="100"), catalog)
    assert check(report, "wa-insulin-2021/tier-2/retail_30").passed
    assert not [c for c in report.checks if "wa-insulin-2023" in c.id]


@pytest.mark.parametrize("row", OTHER_CAPS, ids=lambda row: row[0])
def test_other_cap_matches_the_reference(row):
    rule_id, state, classes, amount, deductible, start, binding, law = row
    rule = _rule(rule_id)
    assert (rule.state, rule.amount, rule.per_days, rule.deductible) == (
        state,
        amount * 100,
        30,
        deductible,
    )
    assert rule.drug_classes == classes
    assert rule.plan_years.from_ == start
    assert rule.citation.binding is binding
    assert law in rule.citation.law
    assert rule.citation.reference == "mandates.md §4.2"


@pytest.mark.parametrize(
    "rule_id", ["la-specialty-2015", "md-specialty-2015", "de-specialty", "dc-specialty-2018"]
)
def test_specialty_cap_exactly_met_passes_and_one_cent_over_fails(rule_id):
    rule = _rule(rule_id)
    catalog = mandate_catalog()
    dollars = rule.amount // 100
    no_deductible = {"deductible": {"exempt_tiers": [1, 4]}}
    at = review_plan(_state_plan(rule.state, 2026, tier_4=str(dollars), **no_deductible), catalog)
    assert check(at, f"{rule_id}/tier-4/specialty").passed
    over = _state_plan(rule.state, 2026, tier_4=f"{dollars}.01", **no_deductible)
    result = check(review_plan(over, catalog), f"{rule_id}/tier-4/specialty")
    assert (result.passed, result.value_cents) == (False, rule.amount + 1)
    assert result.binding is rule.citation.binding


def test_louisiana_cap_leaves_the_deductible_outside_it_and_maryland_does_not():
    # §4.2 Louisiana: "Applies after the deductible is reached"; Maryland says nothing of
    # the deductible, so its cap bounds all the member pays and a deductible breaks it
    catalog = mandate_catalog()
    louisiana = review_plan(_state_plan("LA", 2026, tier_4="150"), catalog)
    assert check(louisiana, "la-specialty-2015/tier-4/specialty").passed
    maryland = review_plan(_state_plan("MD", 2026, tier_4="150"), catalog)
    assert check(maryland, "md-specialty-2015/tier-4/specialty").value == "no limit for 30 days"


@functools.cache
def _shipped():
    return load_catalog([REPO / "plans", REPO / "rules"])


def test_maryland_diabetes_cap_reaches_every_tier_holding_diabetes_drugs():
    # the shipped formulary has diabetes drugs in tiers 1, 2 (insulins among them) and 3
    three = Exactly(
        {"retail_30": {"copay": "150"}, "retail_90": {"copay": "300"}, "mail": {"copay": "150"}}
    )
    exempt = {"deductible": {"exempt_classes": ["insulin", "diabetes"]}}
    at = _state_plan("MD", 2026, tier_2="150", cost_share={3: three}, **exempt)
    report = review_plan(at, _shipped())
    checked = [c for c in report.checks if "md-diabetes-hiv-2023/tier-" in c.id]
    assert {c.id.split("/")[1] for c in checked} == {"tier-1", "tier-2", "tier-3"}
    assert all(c.passed for c in checked)
    over = _state_plan("MD", 2026, tier_2="150.01", cost_share={3: three}, **exempt)
    result = check(review_plan(over, _shipped()), "md-diabetes-hiv-2023/tier-2/retail_30")
    assert result.outcome is Outcome.FAIL
    # a non-insulin diabetes drug through HMO Gold's deductible has no ceiling at all
    through = review_plan(_state_plan("MD", 2026, tier_2="150", cost_share={3: three}), _shipped())
    assert not check(through, "md-diabetes-hiv-2023/tier-2/retail_30").passed


def test_california_all_drug_cap_is_advisory():
    # §4.2: VERIFIED-SECONDARY for 2017, sunset or permanence UNVERIFIED
    catalog = mandate_catalog()
    report = review_plan(_state_plan("CA", 2026, tier_4="250.01"), catalog)
    result = check(report, "ca-all-drugs-2017/tier-4/specialty")
    assert result.outcome is Outcome.ADVISORY_FAIL
    assert result not in report.failures


@pytest.mark.parametrize(("rule_id", "state"), [("de-lesser-of", "DE"), ("md-retail-price", "MD")])
def test_point_of_sale_rules_hold_by_construction_and_are_advisory(rule_id, state):
    # §4.2: DE 18 Del. C. §3350B and MD §15-842, VERIFIED-PRIMARY text, dates not given
    rule = _rule(rule_id)
    assert "usual_and_customary" in rule.lesser_of
    result = check(review_plan(_state_plan(state, 2026), mandate_catalog()), f"{rule_id}/lesser-of")
    assert (result.outcome, result.binding) == (Outcome.ADVISORY_PASS, False)


@pytest.mark.parametrize(("rule_id", "state", "condition", "start", "binding"), BANS)
def test_accumulator_ban_matches_the_reference_and_fails_an_accumulator_program(
    rule_id, state, condition, start, binding
):
    rule = _rule(rule_id)
    assert (rule.state, rule.condition, rule.plan_years.from_) == (state, condition, start)
    assert rule.citation.binding is binding
    catalog = wide_catalog()
    counting = review_plan(_state_plan(state, 2026), catalog)
    assert check(counting, f"{rule_id}/assistance").passed
    program = review_plan(_state_plan(state, 2026, manufacturer_assistance_counts=False), catalog)
    result = check(program, f"{rule_id}/assistance")
    assert result.outcome is (Outcome.FAIL if binding else Outcome.ADVISORY_FAIL)
    before = review_plan(
        _state_plan(state, start.year - 1, manufacturer_assistance_counts=False), catalog
    )
    assert not [c for c in before.checks if rule_id in c.id]


def _drug(**fields):
    return Drug(ndc="1", name="X", tier=2, group="X", **fields)


def test_conditional_bans_reach_brands_without_a_generic_and_exceptions():
    condition = "no_generic_or_exception"
    assert assistance_required(condition, _drug(brand=True))
    assert not assistance_required(condition, _drug(brand=True, generic_ndc="2"))
    assert not assistance_required(condition, _drug(brand=True, multi_source="O"))
    assert assistance_required(condition, _drug(brand=True, generic_ndc="2", pa_required=True))
    assert assistance_required(condition, _drug(brand=True, generic_ndc="2", step_therapy="x"))
    assert not assistance_required(condition, _drug(brand=False))
    assert assistance_required(condition, None)
    assert assistance_required("always", _drug(brand=False))
