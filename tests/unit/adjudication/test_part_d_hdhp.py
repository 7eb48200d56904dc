"""Medicare Part D defined standard (2025 and 2026 files) and the July-start HDHP.

Part D 2026 (mandates.md §3.1-3.2): $615 deductible, 25% coinsurance, $2,100 annual
out-of-pocket threshold then $0, insulin at most $35 per month's supply with no
deductible. Retail: AWP less 20% + $2.00; specialty: AWP less 15% + $5.00.
  INSULIN X  10 x $40 x 0.80 + $2 = $322.00
  BRAND B    30 x $20 x 0.80 + $2 = $482.00
  SPECIALTY  30 x $300 x 0.85 + $5 = $7,655.00
"""

import datetime as dt

from engine.accumulators import FamilyKey
from engine.adjudication.decision import Status

PART_D, HDHP = "ZZT400001", "ZZT500001"
BRAND_B, INSULIN, SPECIALTY = "22222222201", "33333333301", "44444444401"
RECEIVED = dt.date(2026, 12, 31)


def test_part_d_2026_through_every_phase(processor, claim):
    def bill(ndc, rx, day, fill=0, **changes):
        return processor.process(
            claim(PART_D, "001", ndc, rx, day=day, fill_number=fill, **changes), RECEIVED
        )

    insulin = bill(INSULIN, 1, dt.date(2026, 1, 5), quantity=10)
    # no deductible for insulin; 25% of $322.00 = $80.50, capped at $35
    assert (insulin.figures.deductible, insulin.figures.patient_pay) == (0, 3500)
    assert insulin.versions.plan == "PDP-STANDARD@2026.1"

    deductible = bill(BRAND_B, 2, dt.date(2026, 1, 10))
    # $482.00 entirely to the $615 deductible
    assert (deductible.figures.deductible, deductible.figures.patient_pay) == (48200, 48200)
    assert deductible.remaining.deductible_remaining == 61500 - 48200

    straddle = bill(BRAND_B, 2, dt.date(2026, 2, 10), fill=1)
    # $133.00 finishes the deductible; 25% of the other $349.00 = $87.25
    assert (straddle.figures.deductible, straddle.figures.coinsurance) == (13300, 8725)
    assert straddle.figures.patient_pay == 22025
    assert straddle.remaining.deductible_met_by_this_claim

    threshold = bill(SPECIALTY, 3, dt.date(2026, 2, 20), service_provider_id="1300000019")
    # out of pocket so far: 35 + 482 + 220.25 = $737.25; $2,100 - $737.25 = $1,362.75 left,
    # less than 25% of $7,655 ($1,913.75)
    assert threshold.figures.patient_pay == 136275
    assert threshold.remaining.out_of_pocket_met_by_this_claim

    catastrophic = bill(BRAND_B, 2, dt.date(2026, 3, 12), fill=2)
    assert (catastrophic.figures.patient_pay, catastrophic.figures.plan_pay) == (0, 48200)
    insulin_after = bill(INSULIN, 1, dt.date(2026, 3, 12), fill=1, quantity=10)
    assert insulin_after.figures.patient_pay == 0
    snapshot = processor.accumulators.snapshot(FamilyKey(PART_D, dt.date(2026, 1, 1)))
    assert snapshot.amounts == {"oop:001:rx": 210000, "ded:001:rx": 61500}


def test_part_d_2025_claim_uses_the_2025_version(processor, claim):
    decision = processor.process(
        claim(PART_D, "001", BRAND_B, 9, day=dt.date(2025, 6, 2)), dt.date(2025, 6, 2)
    )
    assert decision.versions.plan == "PDP-STANDARD@2025.1"
    # $590 deductible in 2025: all $482.00 of the claim goes to it
    assert decision.remaining.deductible_remaining == 59000 - 48200
    assert decision.family == FamilyKey(PART_D, dt.date(2025, 1, 1))


def test_hdhp_plan_year_starts_in_july_and_late_reversal_touches_the_old_year(processor, claim):
    june = claim(HDHP, "001", BRAND_B, 1, day=dt.date(2026, 6, 20))
    july = claim(HDHP, "001", BRAND_B, 1, day=dt.date(2026, 7, 20), fill_number=1)
    first = processor.process(june, RECEIVED)
    # family coverage, aggregate deductible $3,300 (2025-2026 file): all $482.00 to it
    assert first.family == FamilyKey(HDHP, dt.date(2025, 7, 1))
    assert first.remaining.deductible_family_remaining == 330000 - 48200
    second = processor.process(july, RECEIVED)
    # the new plan year (2026-2027 file, $3,400) starts from zero
    assert second.family == FamilyKey(HDHP, dt.date(2026, 7, 1))
    assert second.remaining.deductible_family_remaining == 340000 - 48200
    reversal = processor.process(
        claim(HDHP, "001", BRAND_B, 1, day=dt.date(2026, 6, 20), transaction_code="B2"),
        RECEIVED,
    )
    assert reversal.status == Status.APPROVED
    old = processor.accumulators.snapshot(FamilyKey(HDHP, dt.date(2025, 7, 1)))
    new = processor.accumulators.snapshot(FamilyKey(HDHP, dt.date(2026, 7, 1)))
    assert dict(old.amounts) == {"ded:001:rx": 0, "oop:001:rx": 0}
    assert dict(new.amounts) == {"ded:001:rx": 48200, "oop:001:rx": 48200}
