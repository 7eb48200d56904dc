"""The polling throttle behind the member cache and the prior-authorization mirror."""

import logging
import threading

from engine.store.base import StoreError
from engine.store.sql.throttle import Throttle


def test_refreshes_once_per_interval_and_survives_a_database_error(caplog):
    calls = []

    def refresh():
        calls.append(len(calls))
        if len(calls) == 2:
            raise StoreError("database unreachable")

    throttle = Throttle(1.0, refresh, "refreshing things")
    throttle.poll(100.0)  # the first poll is always due
    throttle.poll(100.9)  # 0.9 s later: not yet
    assert calls == [0]
    with caplog.at_level(logging.WARNING, logger="rxadj.store"):
        throttle.poll(101.0)  # due; fails, and is only logged
    assert calls == [0, 1]
    assert caplog.messages == ["refreshing things failed: database unreachable"]
    throttle.poll(101.5)  # a failure waits for the next interval too
    throttle.poll(102.0)
    assert calls == [0, 1, 2]


def test_a_poll_while_another_thread_refreshes_does_not_wait():
    started, release = threading.Event(), threading.Event()
    calls = []

    def slow():
        calls.append(threading.current_thread().name)
        started.set()
        release.wait(10)

    throttle = Throttle(0.0, slow, "slow")
    worker = threading.Thread(target=throttle.poll, args=(1.0,), name="first")
    worker.start()
    assert started.wait(10)
    throttle.poll(2.0)  # returns at once: the first thread is refreshing
    release.set()
    worker.join(10)
    assert calls == ["first"]
