"""Any interleaving of concurrent claims for one family gives what some serial order gives.

Each claim runs in its own thread through the real processor; every call it makes to
the accumulator store waits for a turn, and hypothesis chooses which claim moves next,
so the interleavings (snapshot, bill, conflicting apply, recompute...) are explored
deterministically. The serial order to compare with is the order in which the store
applied the claims (by version): replaying the claims one by one in that order on a
fresh processor must give the same figures, claim by claim, and the same accumulators.
Runs on the memory store and on Redis (with and without the snapshot cache).
"""

import datetime as dt
import threading

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.accumulators import FamilyKey
from engine.adjudication.processor import ClaimProcessor
from engine.store.memory import MemoryAccumulatorStore, MemoryClaimLedger
from engine.store.redis_admin import RedisAdmin

from conftest import make_claim

FAMILY = "ZZT900001"  # TEST-TIGHT: deductible $40 / $100, out-of-pocket $150 / $250
KEY = FamilyKey(FAMILY, dt.date(2026, 1, 1))
DAY = dt.date(2026, 3, 2)
DRUGS = ["11111111101", "22222222201", "33333333301", "55555555501"]  # distinct groups


class Scheduler:
    """Lets one claim thread run at a time, from one store call to the next."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.cond = threading.Condition()
        self.waiting: dict[int, threading.Event] = {}
        self.finished: set[int] = set()
        self.local = threading.local()
        self.aborted = False

    def gate(self) -> None:
        event = threading.Event()
        with self.cond:
            if self.aborted:
                return
            self.waiting[self.local.me] = event
            self.cond.notify_all()
        event.wait()

    def done(self) -> None:
        with self.cond:
            self.finished.add(self.local.me)
            self.cond.notify_all()

    def abort(self) -> None:
        """Let every thread run freely (the example is being abandoned)."""
        with self.cond:
            self.aborted = True
            for event in self.waiting.values():
                event.set()
            self.waiting.clear()

    def run(self, choose) -> None:
        while True:
            with self.cond:
                self.cond.wait_for(lambda: len(self.waiting) + len(self.finished) == self.count)
                if len(self.finished) == self.count:
                    return
                chosen = choose(sorted(self.waiting))
                self.waiting.pop(chosen).set()


class SteppedStore:
    """The store under test, each call taken in turn; records the version of each apply."""

    def __init__(self, inner, scheduler: Scheduler) -> None:
        self.inner = inner
        self.scheduler = scheduler
        self.applied: dict[str, int] = {}

    def snapshot(self, key):
        self.scheduler.gate()
        return self.inner.snapshot(key)

    def fresh_snapshot(self, key):
        self.scheduler.gate()
        return self.inner.snapshot(key)

    def recorded(self, key, txn_id):
        return self.inner.recorded(key, txn_id)

    def apply(self, key, txn, expected_version):
        self.scheduler.gate()
        result = self.inner.apply(key, txn, expected_version)
        if result.status == "applied":
            self.applied[txn.id] = result.version
        return result


def _emptied(store):
    """The store with nothing in it (each hypothesis example starts afresh)."""
    if isinstance(store, MemoryAccumulatorStore):
        return MemoryAccumulatorStore()
    admin = RedisAdmin(store)
    admin.delete_all()
    admin.mark_built("test")
    return store


claims_strategy = st.lists(
    st.tuples(
        st.sampled_from(["001", "002", "003"]),
        st.sampled_from(DRUGS),
        st.integers(100, 40_000),  # usual and customary, cents
    ),
    min_size=2,
    max_size=5,
    unique_by=lambda c: (c[0], c[1]),  # one drug group per person: no refill too soon
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(bills=claims_strategy, data=st.data())
def test_concurrent_claims_equal_a_serial_order(catalog, any_store, bills, data):
    clean = _emptied(any_store)
    claims = [
        make_claim(FAMILY, person, ndc, rx, day=DAY, usual_and_customary=charge)
        for rx, (person, ndc, charge) in enumerate(bills, start=1)
    ]
    scheduler = Scheduler(len(claims))
    store = SteppedStore(clean, scheduler)
    processor = ClaimProcessor(catalog, store, MemoryClaimLedger())
    decisions: dict[int, object] = {}

    def work(index: int) -> None:
        scheduler.local.me = index
        try:
            decisions[index] = processor.process(claims[index], DAY)
        finally:
            scheduler.done()

    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(len(claims))]
    for thread in threads:
        thread.start()
    try:
        scheduler.run(lambda ready: data.draw(st.sampled_from(ready)))
    finally:
        scheduler.abort()
        for thread in threads:
            thread.join()

    assert all(d.status == "P" for d in decisions.values())
    order = sorted(range(len(claims)), key=lambda i: store.applied[decisions[i].txn.id])
    serial = ClaimProcessor(catalog, MemoryAccumulatorStore(), MemoryClaimLedger())
    for index in order:
        alone = serial.process(claims[index], DAY)
        assert alone.figures == decisions[index].figures
    assert dict(serial.accumulators.snapshot(KEY).amounts) == dict(clean.snapshot(KEY).amounts)
