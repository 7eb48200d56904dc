"""Clarification codes lift the rules the plan names, as often as it allows."""

import datetime as dt

from engine.accumulators import Fill
from engine.adjudication.clarifications import lift_with_clarifications
from engine.adjudication.decision import Reject
from engine.ncpdp.rejects import RejectCode
from engine.plans.plan import ClarificationOverride

DAY = dt.date(2026, 6, 30)
TOO_SOON = Reject(RejectCode.REFILL_TOO_SOON, "Refill too soon", "refill-too-soon")
LIMIT = Reject(RejectCode.PLAN_LIMITATIONS_EXCEEDED, "Quantity limit", "quantity-limit")
VACATION = ClarificationOverride(
    codes=frozenset({"03", "04"}), lifts=frozenset({"refill-too-soon"}), limit=2, per_days=365
)


def used(day, person="001", codes=("03",)):
    return Fill("t", person, "11111111101", "A", day, 30, codes)


def lift(rejects, codes, fills=(), overrides=(VACATION,)):
    return lift_with_clarifications(list(rejects), codes, overrides, fills, "001", DAY)


def test_a_named_code_lifts_the_rule_and_is_recorded():
    result = lift([TOO_SOON], ["04"])
    assert (result.rejects, result.codes) == ([], ("04",))
    assert result.overrides == (
        "refill-too-soon (79) lifted by clarification code 04, use 1 of 2 in 365 days",
    )


def test_uses_in_the_period_count_and_older_ones_do_not():
    # 365 days back from June 30 2026 starts on July 1 2025
    inside = [used(dt.date(2025, 7, 1)), used(dt.date(2026, 1, 2), codes=("04",))]
    assert lift([TOO_SOON], ["03"], inside).rejects[0].message == (
        "Refill too soon; clarification code 03 already used 2 time(s) in 365 days (allowed 2)"
    )
    outside = [used(dt.date(2025, 6, 30)), used(dt.date(2026, 1, 2), person="002")]
    result = lift([TOO_SOON], ["03"], outside + inside[1:])
    assert result.overrides[0].endswith("use 2 of 2 in 365 days")


def test_other_codes_rules_and_unlimited_overrides():
    assert lift([TOO_SOON], ["05"]).rejects == [TOO_SOON]  # therapy change: not named
    left = lift([TOO_SOON, LIMIT], ["03"])
    assert (left.rejects, left.codes, left.overrides) == ([LIMIT], (), ())
    unlimited = ClarificationOverride(codes=frozenset({"03"}), lifts=frozenset({"refill-too-soon"}))
    fills = [used(dt.date(2026, 6, d)) for d in range(1, 20)]
    assert lift([TOO_SOON], ["03"], fills, (unlimited,)).overrides == (
        "refill-too-soon (79) lifted by clarification code 03",
    )
