"""The stores under the processor: per-claim cost with Redis and the SQL ledger.

Run: ``python -m pytest benchmarks/test_store.py --benchmark-only`` (needs Redis on
127.0.0.1; each benchmark uses its own key prefix and a SQLite file, removed after).
Multi-process throughput, group commit and Redis memory: ``benchmarks/load_store.py``.

- ``test_apply_round_trip``: one EVALSHA (the apply script) against Redis.
- ``test_claim_cold`` / ``test_claim_warm``: a whole new B1 through the processor,
  Redis and the ledger (a durable commit each), with the family's snapshot not in /
  in the per-process cache. ``extra_info`` carries the Redis round trips per claim.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from dataclasses import replace

import pytest

from benchmarks.catalog_factory import BENCH_FAMILIES, bench_cardholder
from benchmarks.test_adjudication import CLAIM, DAY, GENERICS
from engine.accumulators import AccumulatorTxn, FamilyKey
from engine.store.redis import RedisAccumulatorStore, from_url
from engine.store.redis_admin import RedisAdmin

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def runtime(catalog_of, tmp_path):
    from api.runtime import build_runtime
    from api.settings import Settings

    prefix = f"rxadj-bench-{uuid.uuid4().hex[:10]}"
    settings = Settings.from_env(
        {
            "RXADJ_DATABASE_URL": f"sqlite:///{tmp_path / 'ledger.sqlite3'}",
            "RXADJ_REDIS_URL": REDIS_URL,
            "RXADJ_REDIS_PREFIX": prefix,
            "RXADJ_LEDGER_LEASE": "0.5",  # the first start builds Redis, waiting one lease
            "RXADJ_RECOVERY_GRACE": "2",
        }
    )
    runtime = build_runtime(settings, catalog=catalog_of(200))
    yield runtime
    runtime.redis.delete_all()
    runtime.close()


def _claims(families: int):
    for n in itertools.count():
        yield replace(
            CLAIM,
            cardholder_id=bench_cardholder(n % families),
            date_of_birth=dt.date(1980, 1, 1),
            rx_number=700_000 + n,
            ndc=GENERICS[(n // families) % len(GENERICS)],
        )


def _run(benchmark, runtime, families: int, rounds: int) -> None:
    claims = _claims(families)
    for _ in range(families):  # every family read once: its snapshot is now cached
        runtime.processor.process(next(claims), DAY)
    stats = runtime.accumulators.stats
    before = stats.round_trips
    benchmark.pedantic(
        lambda: runtime.processor.process(next(claims), DAY), rounds=rounds, iterations=1
    )
    benchmark.extra_info["redis_round_trips_per_claim"] = (stats.round_trips - before) / rounds


def test_claim_cold(benchmark, runtime):
    """Families never seen by this process: a snapshot read and an apply."""
    claims = _claims(BENCH_FAMILIES)
    stats = runtime.accumulators.stats
    before = stats.round_trips
    benchmark.pedantic(lambda: runtime.processor.process(next(claims), DAY), rounds=1000)
    benchmark.extra_info["redis_round_trips_per_claim"] = (stats.round_trips - before) / 1000


def test_claim_warm(benchmark, runtime):
    """Families whose snapshot this process holds: the apply is the only round trip."""
    _run(benchmark, runtime, 200, 1000)


def test_apply_round_trip(benchmark):
    client = from_url(REDIS_URL)
    store = RedisAccumulatorStore(client, f"rxadj-bench-{uuid.uuid4().hex[:10]}")
    admin = RedisAdmin(store)
    admin.mark_built("bench")
    key = FamilyKey("BENCH000001", dt.date(2026, 1, 1))
    numbers = itertools.count()
    try:
        benchmark(
            lambda: store.apply(key, AccumulatorTxn(f"t{next(numbers)}", {"ded:001:rx": 1}), None)
        )
    finally:
        admin.delete_all()
        client.close()
