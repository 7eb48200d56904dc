"""Invariants of adjudication over random claim sequences (hypothesis).

The family is on a test plan with small limits (deductible $40 / $100, out-of-pocket
$150 / $250, embedded; tests/data/catalog/tight-plan.yaml) so that random sequences
cross them often. For any sequence of bills and reversals: the member never
pays more than the allowed amount; no person's deductible or out-of-pocket passes
the individual amount and no family's passes the family amount; a duplicate changes
nothing; reversing every paid claim returns every accumulator to zero; and a
family's results do not depend on another family's claims.
"""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.accumulators import FamilyKey
from engine.adjudication.decision import Status
from engine.adjudication.processor import ClaimProcessor
from engine.store.memory import MemoryAccumulatorStore, MemoryClaimLedger

from conftest import SPECIALTY, make_claim

FAMILY, OTHER = "ZZT900001", "ZZT900002"
FAMILY_KEY = FamilyKey(FAMILY, dt.date(2026, 1, 1))
DRUGS = ["11111111101", "11111111201", "22222222201", "33333333301", "55555555501"]
SPECIALTY_DRUG = "44444444401"

bills = st.tuples(
    st.sampled_from(["001", "002", "003"]),
    st.sampled_from([*DRUGS, SPECIALTY_DRUG]),
    st.integers(0, 330),  # day of year offset
    st.one_of(st.none(), st.integers(100, 900_000)),  # usual and customary
    st.sampled_from(["0", "2"]),  # DAW: 2 adds a brand penalty that counts toward the maximum
)


def _claim(family: str, person: str, ndc: str, offset: int, charge: int | None, daw: str, rx: int):
    pharmacy = {"service_provider_id": SPECIALTY} if ndc == SPECIALTY_DRUG else {}
    return make_claim(
        family,
        person,
        ndc,
        rx,
        day=dt.date(2026, 1, 1) + dt.timedelta(days=offset),
        usual_and_customary=charge,
        daw=daw,
        **pharmacy,
    )


def _fresh(catalog) -> ClaimProcessor:
    return ClaimProcessor(catalog, MemoryAccumulatorStore(), MemoryClaimLedger())


def _within_limits(amounts) -> None:
    persons = {name.split(":")[1] for name in amounts}
    for person in persons:
        assert amounts.get(f"ded:{person}:rx", 0) <= 4000
        assert amounts.get(f"oop:{person}:rx", 0) <= 15000
    assert sum(v for k, v in amounts.items() if k.startswith("ded:")) <= 10000
    assert sum(v for k, v in amounts.items() if k.startswith("oop:")) <= 25000


@settings(max_examples=60, deadline=None)
@given(st.lists(bills, min_size=1, max_size=40))
def test_limits_hold_and_reversing_everything_restores_zero(catalog, sequence):
    processor = _fresh(catalog)
    received = dt.date(2026, 12, 31)
    paid = []
    for rx, bill in enumerate(sequence, start=1):
        claim = _claim(FAMILY, *bill, rx)
        decision = processor.process(claim, received)
        if decision.status == Status.PAID:
            figures = decision.figures
            assert 0 <= figures.patient_pay <= figures.allowed
            assert figures.plan_pay == figures.allowed - figures.patient_pay
            paid.append(claim)
        _within_limits(processor.accumulators.snapshot(FAMILY_KEY).amounts)
    for claim in paid:
        before = processor.accumulators.snapshot(FAMILY_KEY)
        again = processor.process(claim, received)
        assert again.status == Status.DUPLICATE_OF_PAID
        assert processor.accumulators.snapshot(FAMILY_KEY).version == before.version
    for claim in paid:
        reversal = processor.process(claim.with_code("B2"), received)
        assert reversal.status == Status.APPROVED
    assert all(v == 0 for v in processor.accumulators.snapshot(FAMILY_KEY).amounts.values())


@settings(max_examples=30, deadline=None)
@given(st.lists(bills, min_size=1, max_size=12), st.lists(bills, min_size=1, max_size=12))
def test_a_family_does_not_depend_on_another_familys_claims(catalog, ours, theirs):
    received = dt.date(2026, 12, 31)
    alone = _fresh(catalog)
    mixed = _fresh(catalog)
    for index, bill in enumerate(ours):
        expected = alone.process(_claim(FAMILY, *bill, index), received)
        if index < len(theirs):
            other = theirs[index]
            mixed.process(_claim(OTHER, *other, 1000 + index), received)
        got = mixed.process(_claim(FAMILY, *bill, index), received)
        assert (got.status, got.figures, got.rejects) == (
            expected.status,
            expected.figures,
            expected.rejects,
        )
