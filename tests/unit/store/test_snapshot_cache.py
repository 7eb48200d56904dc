"""The per-process snapshot cache follows applied transactions exactly, or forgets."""

import datetime as dt

from engine.accumulators import AccumulatorTxn, FamilyKey, Fill, Snapshot
from engine.store.snapshot_cache import CachedSnapshot, SnapshotCache

KEY = FamilyKey("ZZT100001", dt.date(2026, 1, 1))
OTHER = FamilyKey("ZZT100002", dt.date(2026, 1, 1))


def fill(txn_id):
    return Fill(txn_id, "001", "11111111101", "A", dt.date(2026, 3, 2), 30)


def entry(version=1):
    return CachedSnapshot(Snapshot(version, {"ded:001:rx": 100}, (fill("a#1"),)), 4, ("a#1",))


def test_an_apply_on_the_cached_basis_is_followed_locally():
    cache = SnapshotCache(10)
    cache.put(KEY, entry())
    rebill = AccumulatorTxn("a#2", {"ded:001:rx": 30}, fill("a#2"), reverses="a#1")
    cache.advance(KEY, 1, rebill, {"ded:001:rx": -70}, 2, 6)
    got = cache.get(KEY)
    assert (got.snapshot.version, dict(got.snapshot.amounts)) == (2, {"ded:001:rx": 30})
    assert (got.snapshot.fills, got.fill_ids, got.fills_version) == ((fill("a#2"),), ("a#2",), 6)


def test_an_apply_on_another_basis_or_without_a_version_forgets_the_family():
    cache = SnapshotCache(10)
    cache.put(KEY, entry())
    cache.advance(KEY, 0, AccumulatorTxn("b#1"), {}, 2, 4)
    assert cache.get(KEY) is None
    cache.put(KEY, entry())
    cache.advance(KEY, None, AccumulatorTxn("b#1"), {}, 2, 4)
    assert cache.get(KEY) is None


def test_least_recently_used_families_are_evicted_and_size_0_caches_nothing():
    cache = SnapshotCache(1)
    cache.put(KEY, entry())
    cache.put(OTHER, entry())
    assert (cache.get(KEY), cache.get(OTHER) is not None) == (None, True)
    off = SnapshotCache(0)
    off.put(KEY, entry())
    assert off.get(KEY) is None
