"""The switch endpoint on its event loop over real Redis and a real SQLite ledger.

``POST /v1/ncpdp`` adjudicates on the loop and commits the ledger records there
(``engine.store.sql.writer.writing_here``). Through the real app: a duplicate
of a paid claim answers D with the original figures, a B1 after a reversal gets the
next sequence, a claim applied to Redis before a "crash" (never ledgered) is
replayed when the switch retries and is counted once, and a transmission whose
second transaction repeats its first sees the first as paid. Claims of one family
that arrive together are priced one after the other, through the app and through
the batcher that gathers them into a batch; a batch whose ledger or Redis is gone
answers every claim with the error (the handler's reject 99), never as paid.
"""

import asyncio
import datetime as dt

import pytest
from litestar.testing import AsyncTestClient, TestClient

from api.http.app import create_app
from api.http.batcher import ClaimBatcher
from api.http.keys import KeyStore, Role
from api.http.metrics import ClaimMetrics
from api.runtime import build_runtime
from api.settings import Settings
from engine.accumulators import FamilyKey
from engine.adjudication.processor import ClaimProcessor
from engine.adjudication.request import transmission_from_claims
from engine.claim import claim_key
from engine.ncpdp import decode, encode
from engine.store.base import StoreUnavailable
from engine.store.memory import MemoryClaimLedger
from engine.store.redis import from_url

from conftest import make_claim

DAY = dt.date(2026, 3, 2)
KEY = FamilyKey("ZZT100001", dt.date(2026, 1, 1))
BRAND_B = "22222222201"


def _settings(redis_url, redis_prefix, tmp_path):
    return Settings.from_env(
        {
            "RXADJ_DATABASE_URL": f"sqlite:///{tmp_path / 'ledger.sqlite3'}",
            "RXADJ_REDIS_URL": redis_url,
            "RXADJ_REDIS_PREFIX": redis_prefix,
            "RXADJ_API_KEYS_FILE": str(tmp_path / "keys.json"),
            "RXADJ_PUBLISHED_DIR": str(tmp_path / "published"),
            "RXADJ_LEDGER_LEASE": "0.2",  # the first start builds Redis, waiting a lease
            "RXADJ_RECOVERY_GRACE": "1",
        }
    )


@pytest.fixture
def service(catalog, redis_url, redis_prefix, tmp_path):
    settings = _settings(redis_url, redis_prefix, tmp_path)
    keys = KeyStore.load(settings.api_keys_file)
    key = keys.create(Role.SWITCH, "switch")
    runtime = build_runtime(settings, catalog=catalog)
    with TestClient(create_app(runtime, KeyStore.load(settings.api_keys_file))) as client:
        client.headers["X-API-Key"] = key
        yield client, runtime


def _send(client, *claims):
    response = client.post("/v1/ncpdp", content=encode(transmission_from_claims(list(claims))))
    assert response.status_code == 200
    answer = decode(response.content).transmission
    return [(t.segment("21").get("AN"), t.segment("23")) for t in answer.transactions]


def _patient_pay(pricing):
    return pricing.get("F5") if pricing is not None else None


def test_duplicate_reversal_and_rebill_sequence_over_http(service):
    client, runtime = service
    claim = make_claim("ZZT100001", "001", BRAND_B, 101, day=DAY)
    [(status, pricing)] = _send(client, claim)
    assert status == "P"
    [(again, again_pricing)] = _send(client, claim)
    assert (again, _patient_pay(again_pricing)) == ("D", _patient_pay(pricing))
    [(reversed_, _)] = _send(client, claim.with_code("B2"))
    assert reversed_ == "A"
    [(rebilled, _)] = _send(client, claim)
    assert rebilled == "P"
    current = runtime.ledger.current(claim_key(claim))
    assert (current.sequence, current.reversed) == (2, False)
    assert current.decision.txn.id == f"{claim_key(claim)}#2"


def test_a_claim_applied_before_a_crash_is_replayed_once(service):
    client, runtime = service
    claim = make_claim("ZZT100001", "001", BRAND_B, 202, day=DAY)
    # the "crashed" process: applied to Redis, its ledger write lost with it
    lost = ClaimProcessor(runtime.catalog, runtime.accumulators, MemoryClaimLedger())
    first = lost.process(claim, DAY)
    applied = dict(runtime.redis.store.fresh_snapshot(KEY).amounts)
    assert runtime.ledger.current(claim_key(claim)) is None
    [(status, pricing)] = _send(client, claim)
    assert (status, _patient_pay(pricing)) == ("P", first.figures.patient_pay)
    assert dict(runtime.redis.store.fresh_snapshot(KEY).amounts) == applied
    assert runtime.ledger.current(claim_key(claim)).sequence == 1


def test_a_repeated_transaction_in_one_transmission_sees_the_first(service):
    client, _ = service
    claim = make_claim("ZZT100001", "001", BRAND_B, 303, day=DAY)
    statuses = [status for status, _ in _send(client, claim, claim)]
    assert statuses == ["P", "D"]


_TOGETHER = [
    make_claim("ZZT900001", person, "11111111201", 900 + n, day=DAY)
    for n, person in enumerate(("001", "002", "003"))
]
"""TEST-TIGHT (deductible $40 / $100, out-of-pocket $150 / $250, tier 2 is 30%): in
whatever order, two of these $242.00 claims pay $40 + $60.60 each and the third meets
the family maximum with $250 - $201.20 = $48.80."""


def _patient_pays(answers: list[bytes]) -> list[int]:
    pays = []
    for answer in answers:
        [transaction] = decode(answer).transmission.transactions
        assert transaction.segment("21").get("AN") == "P"
        pays.append(transaction.segment("23").get("F5"))
    return sorted(pays)


def test_claims_of_one_family_sent_together_over_http(catalog, redis_url, redis_prefix, tmp_path):
    settings = _settings(redis_url, redis_prefix, tmp_path)
    key = KeyStore.load(settings.api_keys_file).create(Role.SWITCH, "together")
    runtime = build_runtime(settings, catalog=catalog)
    app = create_app(runtime, KeyStore.load(settings.api_keys_file))
    bodies = [encode(transmission_from_claims([c])) for c in _TOGETHER]

    async def send_together() -> list[bytes]:
        async with AsyncTestClient(app) as client:
            client.headers["X-API-Key"] = key
            answers = await asyncio.gather(*(client.post("/v1/ncpdp", content=b) for b in bodies))
        return [a.content for a in answers]

    assert _patient_pays(asyncio.run(send_together())) == [4880, 10060, 10060]


@pytest.fixture
def batching(catalog, redis_url, redis_prefix, tmp_path):
    """A runtime on real Redis and SQLite, its batcher and the batcher's metrics."""
    runtime = build_runtime(_settings(redis_url, redis_prefix, tmp_path), catalog=catalog)
    metrics = ClaimMetrics()
    yield runtime, metrics, ClaimBatcher(runtime, metrics)
    runtime.close()


def _together(batcher: ClaimBatcher) -> list[object]:
    """``_TOGETHER`` handed to the batcher at once: each result, or the error it raised."""
    bodies = [encode(transmission_from_claims([c])) for c in _TOGETHER]

    async def send() -> list[object]:
        calls = (batcher.adjudicate(body, DAY) for body in bodies)
        return await asyncio.gather(*calls, return_exceptions=True)

    return asyncio.run(send())


def test_the_batcher_adjudicates_what_arrives_in_one_turn_as_one_batch(batching):
    runtime, metrics, batcher = batching
    results = _together(batcher)
    assert _patient_pays([result.response for result in results]) == [4880, 10060, 10060]
    # answered only once durable: the ledger has all three
    for claim in _TOGETHER:
        assert runtime.ledger.current(claim_key(claim)).sequence == 1
    sample = metrics.registry.get_sample_value
    assert sample("rxadj_claim_batch_transmissions_count") == 1
    assert sample("rxadj_claim_batch_transmissions_sum") == 3
    assert sample("rxadj_claims_alone_total") == 0


def test_no_claim_of_a_batch_is_answered_when_its_records_cannot_be_committed(batching):
    runtime, _, batcher = batching
    runtime.sql.close()  # the ledger goes away after the claims are adjudicated
    assert [type(answer) for answer in _together(batcher)] == [StoreUnavailable] * 3


def test_a_batch_that_cannot_reach_redis_answers_each_claim_with_an_error(batching):
    runtime, metrics, batcher = batching
    working = runtime.accumulators.client
    runtime.accumulators.client = from_url("redis://127.0.0.1:1/0")  # nothing listens there
    try:
        assert [type(answer) for answer in _together(batcher)] == [StoreUnavailable] * 3
    finally:
        runtime.accumulators.client.close()
        runtime.accumulators.client = working
    # the batch failed as a whole, each was tried alone, and nothing was recorded
    assert metrics.registry.get_sample_value("rxadj_claims_alone_total") == 3
    assert [runtime.ledger.current(claim_key(c)) for c in _TOGETHER] == [None] * 3
