"""The AccumulatorStore contract, held by the memory store and by Redis (with and without
its snapshot cache): idempotency, version conflicts, exact reversals, refused
reversals, fills, plan years. A model-based test then drives memory and Redis with
the same random operations and requires identical answers.
"""

import datetime as dt
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.accumulators import AccumulatorTxn, ApplyStatus, FamilyKey, Fill
from engine.store.base import StoreUnavailable
from engine.store.memory import MemoryAccumulatorStore
from engine.store.redis_admin import RedisAdmin
from integration.conftest import make_redis_store

Y2026 = FamilyKey("ZZT100001", dt.date(2026, 1, 1))
Y2027 = FamilyKey("ZZT100001", dt.date(2027, 1, 1))
OTHER = FamilyKey("ZZT100002", dt.date(2026, 1, 1))


def fill(txn_id: str, ndc: str = "11111111101", day: int = 2) -> Fill:
    return Fill(txn_id, "001", ndc, "A", dt.date(2026, 3, day), 30)


def bill(txn_id: str, ded: int, oop: int, with_fill: bool = True) -> AccumulatorTxn:
    deltas = {"ded:001:rx": ded, "oop:001:rx": oop}
    return AccumulatorTxn(txn_id, deltas, fill(txn_id) if with_fill else None)


def test_an_unknown_family_is_empty_at_version_0(any_store):
    snapshot = any_store.snapshot(Y2026)
    assert (snapshot.version, dict(snapshot.amounts), snapshot.fills) == (0, {}, ())
    assert any_store.recorded(Y2026, "nope") is None


def test_apply_adds_deltas_records_the_fill_and_bumps_the_version(any_store):
    result = any_store.apply(Y2026, bill("c#1", 25000, 32000), 0)
    assert (result.status, result.version) == (ApplyStatus.APPLIED, 1)
    assert dict(result.deltas) == {"ded:001:rx": 25000, "oop:001:rx": 32000}
    snapshot = any_store.snapshot(Y2026)
    assert snapshot.version == 1
    assert dict(snapshot.amounts) == {"ded:001:rx": 25000, "oop:001:rx": 32000}
    assert snapshot.fills == (fill("c#1"),)
    assert dict(any_store.recorded(Y2026, "c#1")) == {"ded:001:rx": 25000, "oop:001:rx": 32000}


def test_the_same_txn_id_twice_changes_nothing_and_answers_the_recorded_deltas(any_store):
    any_store.apply(Y2026, bill("c#1", 25000, 32000), 0)
    # a retry with other figures (a recomputation) is still the same transaction
    again = any_store.apply(Y2026, bill("c#1", 99, 99), 1)
    assert (again.status, again.version) == (ApplyStatus.DUPLICATE, 1)
    assert dict(again.deltas) == {"ded:001:rx": 25000, "oop:001:rx": 32000}
    # the id is checked before the version: a stale retry is a duplicate, not a conflict
    stale = any_store.apply(Y2026, bill("c#1", 1, 1), 0)
    assert stale.status is ApplyStatus.DUPLICATE
    snapshot = any_store.snapshot(Y2026)
    assert (snapshot.version, dict(snapshot.amounts)) == (
        1,
        {"ded:001:rx": 25000, "oop:001:rx": 32000},
    )


def test_a_stale_version_conflicts_and_carries_the_current_snapshot(any_store):
    any_store.apply(Y2026, bill("c#1", 100, 100), 0)
    result = any_store.apply(Y2026, bill("c#2", 200, 200), 0)
    assert (result.status, result.version) == (ApplyStatus.CONFLICT, 1)
    assert result.snapshot.version == 1
    assert dict(result.snapshot.amounts) == {"ded:001:rx": 100, "oop:001:rx": 100}
    assert result.snapshot.fills == (fill("c#1"),)
    assert any_store.recorded(Y2026, "c#2") is None
    # retrying with the version it was given succeeds
    assert any_store.apply(Y2026, bill("c#2", 200, 200), 1).status is ApplyStatus.APPLIED
    # no expected version: no check
    assert any_store.apply(Y2026, bill("c#3", 1, 1), None).version == 3


def test_a_reversal_negates_exactly_the_recorded_deltas_and_removes_the_fill(any_store):
    any_store.apply(Y2026, bill("c#1", 25000, 32000), None)
    any_store.apply(Y2026, bill("d#1", 1000, 1000, with_fill=False), None)
    result = any_store.apply(Y2026, AccumulatorTxn("c#1:rev", reverses="c#1"), None)
    assert (result.status, result.version) == (ApplyStatus.APPLIED, 3)
    assert dict(result.deltas) == {"ded:001:rx": -25000, "oop:001:rx": -32000}
    snapshot = any_store.snapshot(Y2026)
    assert dict(snapshot.amounts) == {"ded:001:rx": 1000, "oop:001:rx": 1000}
    assert snapshot.fills == ()
    # the reversal recorded no deltas of its own
    assert dict(any_store.recorded(Y2026, "c#1:rev")) == {}


def test_reversals_of_unknown_or_already_reversed_originals_are_refused(any_store):
    unknown = any_store.apply(Y2026, AccumulatorTxn("x:rev", reverses="x"), None)
    assert (unknown.status, unknown.version) == (ApplyStatus.UNKNOWN_ORIGINAL, 0)
    any_store.apply(Y2026, bill("c#1", 100, 100), None)
    any_store.apply(Y2026, AccumulatorTxn("c#1:rev", reverses="c#1"), None)
    twice = any_store.apply(Y2026, AccumulatorTxn("c#1:rev2", reverses="c#1"), None)
    assert (twice.status, twice.version) == (ApplyStatus.ALREADY_REVERSED, 2)
    assert any_store.recorded(Y2026, "c#1:rev2") is None
    # the original belongs to another plan year: unknown in this one
    other_year = any_store.apply(Y2027, AccumulatorTxn("c#1:rev3", reverses="c#1"), None)
    assert other_year.status is ApplyStatus.UNKNOWN_ORIGINAL


def test_a_rebill_reverses_the_original_and_applies_its_own_deltas_at_once(any_store):
    any_store.apply(Y2026, bill("c#1", 25000, 32000), None)
    rebill = AccumulatorTxn(
        "c#2", {"ded:001:rx": 10000, "oop:001:rx": 13500}, fill("c#2", day=5), reverses="c#1"
    )
    result = any_store.apply(Y2026, rebill, 1)
    assert (result.status, result.version) == (ApplyStatus.APPLIED, 2)
    # net: 10000 - 25000 and 13500 - 32000
    assert dict(result.deltas) == {"ded:001:rx": -15000, "oop:001:rx": -18500}
    snapshot = any_store.snapshot(Y2026)
    assert dict(snapshot.amounts) == {"ded:001:rx": 10000, "oop:001:rx": 13500}
    assert snapshot.fills == (fill("c#2", day=5),)
    # reversing the rebill negates only its own deltas
    any_store.apply(Y2026, AccumulatorTxn("c#2:rev", reverses="c#2"), None)
    assert dict(any_store.snapshot(Y2026).amounts) == {"ded:001:rx": 0, "oop:001:rx": 0}


def test_plan_years_and_families_are_kept_apart_but_fills_follow_the_family(any_store):
    any_store.apply(Y2026, bill("c#1", 100, 200), None)
    any_store.apply(Y2027, bill("e#1", 5, 7), None)
    any_store.apply(OTHER, bill("f#1", 1, 1), None)
    y26, y27 = any_store.snapshot(Y2026), any_store.snapshot(Y2027)
    assert (y26.version, dict(y26.amounts)) == (1, {"ded:001:rx": 100, "oop:001:rx": 200})
    assert (y27.version, dict(y27.amounts)) == (1, {"ded:001:rx": 5, "oop:001:rx": 7})
    # refill-too-soon looks across the year boundary: fills are the family's
    assert [f.txn_id for f in y26.fills] == ["c#1", "e#1"]
    assert [f.txn_id for f in y27.fills] == ["c#1", "e#1"]
    assert [f.txn_id for f in any_store.snapshot(OTHER).fills] == ["f#1"]
    # the same txn id in another plan year is another transaction
    assert any_store.apply(Y2027, bill("c#1", 1, 1), None).status is ApplyStatus.APPLIED


_FAMILIES = itertools.count()

operations = st.lists(
    st.tuples(
        st.sampled_from(["bill", "reverse", "rebill", "snapshot"]),
        st.integers(0, 5),  # txn number
        st.integers(0, 5),  # original number for reversals
        st.integers(-3, 40_000),  # cents
        st.booleans(),  # stale expected version
        st.booleans(),  # second plan year
    ),
    min_size=1,
    max_size=25,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=operations)
def test_redis_answers_exactly_as_the_memory_store(redis_store, ops):
    memory = MemoryAccumulatorStore()
    card = f"M{next(_FAMILIES)}"
    for op, number, original, cents, stale, later in ops:
        key = FamilyKey(card, dt.date(2027 if later else 2026, 1, 1))
        if op == "snapshot":
            a, b = memory.snapshot(key), redis_store.snapshot(key)
            assert (a.version, dict(a.amounts), a.fills) == (b.version, dict(b.amounts), b.fills)
            continue
        version = memory.snapshot(key).version - (1 if stale else 0)
        deltas = {} if op == "reverse" else {"ded:002:rx": cents, "oop:002:med": cents // 2}
        txn = AccumulatorTxn(
            f"t{number}" if op != "reverse" else f"t{original}:rev{number}",
            deltas,
            None if op == "reverse" else fill(f"t{number}", day=1 + number),
            reverses=None if op == "bill" else f"t{original}",
        )
        a, b = memory.apply(key, txn, version), redis_store.apply(key, txn, version)
        assert (a.status, a.version, dict(a.deltas)) == (b.status, b.version, dict(b.deltas))
        if a.snapshot is not None:
            assert (a.snapshot.version, dict(a.snapshot.amounts), a.snapshot.fills) == (
                b.snapshot.version,
                dict(b.snapshot.amounts),
                b.snapshot.fills,
            )
        assert memory.recorded(key, txn.id) == redis_store.recorded(key, txn.id)


@pytest.mark.parametrize("cached", [False, True])
def test_a_redis_store_restarted_empty_refuses_work_until_rebuilt(redis_url, redis_prefix, cached):
    store = make_redis_store(redis_url, redis_prefix, 100 if cached else 0)
    store.apply(Y2026, bill("c#1", 1, 1), None)
    admin = RedisAdmin(store)
    admin.delete_all()  # what a Redis restart without persistence leaves
    with pytest.raises(StoreUnavailable):
        store.apply(Y2026, bill("c#2", 1, 1), None)
    with pytest.raises(StoreUnavailable):
        store.fresh_snapshot(Y2026)
    assert not admin.is_built()
    store.client.close()


def test_a_stale_cached_snapshot_only_ever_costs_a_conflict(redis_url, redis_prefix):
    cached = make_redis_store(redis_url, redis_prefix, cache_size=100)
    other = make_redis_store(redis_url, redis_prefix)  # another process
    cached.apply(Y2026, bill("c#1", 100, 100), cached.snapshot(Y2026).version)
    round_trips = cached.stats.round_trips
    assert cached.snapshot(Y2026).version == 1  # from the cache: no round trip
    assert cached.stats.round_trips == round_trips
    other.apply(Y2026, bill("o#1", 5, 5), None)
    stale = cached.snapshot(Y2026)
    assert stale.version == 1  # the cache has not seen the other process's claim
    result = cached.apply(Y2026, bill("c#2", 1, 1), stale.version)
    # refused, with the current figures in the same round trip
    assert result.status is ApplyStatus.CONFLICT
    assert result.snapshot.amounts["ded:001:rx"] == 105
    assert cached.stats.round_trips == round_trips + 1
    # a fill added in another plan year changes no version of this one, yet conflicts too
    current = cached.snapshot(Y2026)
    other.apply(Y2027, bill("o#2", 1, 1), None)
    result = cached.apply(Y2026, bill("c#2", 1, 1), current.version)
    assert result.status is ApplyStatus.CONFLICT
    assert [f.txn_id for f in result.snapshot.fills] == ["c#1", "o#1", "o#2"]
    assert cached.apply(Y2026, bill("c#2", 1, 1), result.version).status is ApplyStatus.APPLIED
    for store in (cached, other):
        store.client.close()


def test_the_script_is_loaded_again_after_noscript(redis_store):
    redis_store.apply(Y2026, bill("c#1", 1, 1), None)
    redis_store._sha = "0" * 40  # what a Redis restart (SCRIPT FLUSH) leaves the client with
    assert redis_store.apply(Y2026, bill("c#2", 1, 1), None).status is ApplyStatus.APPLIED
    assert redis_store._sha != "0" * 40
