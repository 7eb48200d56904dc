"""Claims adjudicated together (``engine.adjudication.batch``) on real Redis and ledgers.

The family is TEST-TIGHT's ZZT900001: deductible $40 a person / $100 the family,
out-of-pocket $150 / $250, embedded; tier 3 retail is 40% coinsurance up to $90,
tier 2 is 30% with a $20 minimum. Retail pricing is AWP less 20% plus $2.00, so
BRAND B (30 x $20.00 AWP) is $482.00 and BRAND A (30 x $10.00) is $242.00.
"""

import datetime as dt

import pytest

from api.runtime import build_runtime
from api.settings import Settings
from engine.accumulators import FamilyKey
from engine.adjudication.batch import adjudicate_batch, batchable
from engine.adjudication.processor import ClaimProcessor
from engine.adjudication.request import transmission_from_claims
from engine.adjudication.transmission import adjudicate_transmission
from engine.claim import claim_key
from engine.ncpdp import encode
from engine.plans.members import Family
from engine.store.base import record_together
from engine.store.redis import RedisAccumulatorStore, from_url

from conftest import make_claim

DAY = dt.date(2026, 3, 2)
FAMILY = "ZZT900001"
KEY = FamilyKey(FAMILY, dt.date(2026, 1, 1))
BRAND_A, BRAND_B = "11111111201", "22222222201"


@pytest.fixture
def runtime(catalog, ledger_url, redis_url, redis_prefix, tmp_path):
    settings = Settings.from_env(
        {
            "RXADJ_DATABASE_URL": ledger_url,
            "RXADJ_REDIS_URL": redis_url,
            "RXADJ_REDIS_PREFIX": redis_prefix,
            "RXADJ_PUBLISHED_DIR": str(tmp_path / "published"),
            "RXADJ_LEDGER_LEASE": "0.2",
            "RXADJ_RECOVERY_GRACE": "1",
        }
    )
    built = build_runtime(settings, catalog=catalog)
    yield built
    built.close()


def _bytes(*claims):
    return encode(transmission_from_claims(list(claims)))


def _record(processor, outcomes):
    for outcome in outcomes:
        for entries in outcome.entries:
            record_together(processor.ledger, entries)


def _figures(outcome):
    decision = outcome.result.decisions[0]
    return decision.status, decision.figures.patient_pay, decision.figures.plan_pay


def test_the_stores_of_a_configured_runtime_batch(runtime):
    assert batchable(runtime.processor)


def test_two_persons_of_a_family_in_one_batch_are_priced_one_after_the_other(runtime):
    processor = runtime.processor
    first = make_claim(FAMILY, "001", BRAND_B, 1, day=DAY)
    second = make_claim(FAMILY, "002", BRAND_B, 2, day=DAY)
    check = make_claim(FAMILY, "003", BRAND_A, 9, day=DAY).with_code("E1")
    outcomes = adjudicate_batch(
        [(_bytes(first), DAY), (_bytes(second), DAY), (_bytes(check), DAY)], processor
    )
    assert all(outcome.result is not None for outcome in outcomes)
    # 001: $40 deductible, then 40% of $442 = $176.80 capped at $90: $130.00
    assert _figures(outcomes[0]) == ("P", 13000, 35200)
    # 002 alone would pay $130.00 too, but the family has $250 - $130 = $120 left
    assert _figures(outcomes[1]) == ("P", 12000, 36200)
    # the eligibility check sees both: the family's out-of-pocket is met
    assert outcomes[2].result.decisions[0].remaining.out_of_pocket_family_remaining == 0
    _record(processor, outcomes)
    assert processor.accumulators.fresh_snapshot(KEY).amounts == {
        "ded:001:rx": 4000,
        "oop:001:rx": 13000,
        "ded:002:rx": 4000,
        "oop:002:rx": 12000,
    }
    for claim, pay in ((first, 13000), (second, 12000)):
        record = processor.ledger.current(claim_key(claim))
        assert (record.sequence, record.reversed, record.decision.figures.patient_pay) == (
            1,
            False,
            pay,
        )


def test_a_claim_repeated_in_one_batch_goes_alone_and_is_a_duplicate(runtime):
    processor = runtime.processor
    claim = make_claim(FAMILY, "001", BRAND_A, 3, day=DAY)
    outcomes = adjudicate_batch([(_bytes(claim), DAY), (_bytes(claim), DAY)], processor)
    # $242.00: $40 deductible, 30% of $202 = $60.60
    assert _figures(outcomes[0]) == ("P", 10060, 14140)
    assert outcomes[1].result is None
    _record(processor, outcomes[:1])
    again = adjudicate_transmission(_bytes(claim), processor, DAY)
    assert (again.decisions[0].status, again.decisions[0].figures.patient_pay) == ("D", 10060)
    assert processor.accumulators.fresh_snapshot(KEY).amounts["oop:001:rx"] == 10060


def test_a_reversal_in_a_batch_gives_the_amounts_back(runtime):
    processor = runtime.processor
    paid = make_claim(FAMILY, "001", BRAND_A, 4, day=DAY)
    _record(processor, adjudicate_batch([(_bytes(paid), DAY), (_bytes(paid), DAY)], processor)[:1])
    other = make_claim(FAMILY, "002", BRAND_A, 5, day=DAY)
    outcomes = adjudicate_batch(
        [(_bytes(paid.with_code("B2")), DAY), (_bytes(other), DAY)], processor
    )
    assert outcomes[0].result.decisions[0].status == "A"
    # 002 is priced after the reversal: the family deductible is untouched, so $40 + $60.60
    assert _figures(outcomes[1]) == ("P", 10060, 14140)
    _record(processor, outcomes)
    assert processor.accumulators.fresh_snapshot(KEY).amounts == {
        "ded:001:rx": 0,
        "oop:001:rx": 0,
        "ded:002:rx": 4000,
        "oop:002:rx": 10060,
    }
    assert processor.ledger.current(claim_key(paid)).reversed


class _Meanwhile:
    """Members as on file; the first lookup also lets another worker bill a claim first."""

    def __init__(self, members, other: ClaimProcessor, claim) -> None:
        self.members = members
        self.other = other
        self.claim = claim
        self.decision = None

    def family(self, cardholder_id: str) -> Family | None:
        if self.decision is None:
            self.decision = self.other.process(self.claim, DAY)
        return self.members.family(cardholder_id)


def test_a_family_another_worker_changes_meanwhile_is_adjudicated_again_alone(runtime):
    worker = runtime.processor
    # another worker: its own Redis connection and cache, the same ledger
    settings = runtime.settings
    other_store = RedisAccumulatorStore(
        from_url(settings.redis_url), settings.redis_prefix, cache_size=10
    )
    other = ClaimProcessor(worker.catalog, other_store, worker.ledger, worker.members)
    meanwhile = _Meanwhile(worker.members, other, make_claim(FAMILY, "002", BRAND_B, 6, day=DAY))
    batch = ClaimProcessor(worker.catalog, worker.accumulators, worker.ledger, meanwhile)
    mine = make_claim(FAMILY, "001", BRAND_B, 7, day=DAY)
    outcomes = adjudicate_batch([(_bytes(mine), DAY), (_bytes(mine.with_code("E1")), DAY)], batch)
    assert meanwhile.decision.figures.patient_pay == 13000
    # priced on the family as read before the other claim: its apply was refused
    assert outcomes[0].result is None
    assert worker.accumulators.fresh_snapshot(KEY).amounts == {
        "ded:002:rx": 4000,
        "oop:002:rx": 13000,
    }
    alone = adjudicate_transmission(_bytes(mine), batch, DAY)
    # alone, it sees the other claim: $250 - $130 = $120 left for the family
    assert alone.decisions[0].figures.patient_pay == 12000
    other_store.client.close()


def test_a_claim_without_a_cardholder_id_is_rejected_within_its_batch(runtime):
    processor = runtime.processor
    nameless = make_claim(FAMILY, "001", BRAND_A, 10, day=DAY, cardholder_id=None)
    other = make_claim(FAMILY, "002", BRAND_A, 11, day=DAY)
    outcomes = adjudicate_batch([(_bytes(nameless), DAY), (_bytes(other), DAY)], processor)
    assert all(outcome.result is not None for outcome in outcomes)
    decision = outcomes[0].result.decisions[0]
    # the standard edits' required fields: a bill without 302-C2 is "07" (M/I Cardholder ID)
    assert (decision.status, [r.code.code for r in decision.rejects]) == ("R", ["07"])
    # $242.00: $40 deductible, 30% of $202 = $60.60
    assert _figures(outcomes[1]) == ("P", 10060, 14140)
