"""The switch's claims that arrive together, adjudicated as one batch.

Every request that reaches the NCPDP handler in one turn of the event loop joins
the same batch, which starts on the next turn (``call_soon``): under light load a
batch is one claim and costs what it did alone; under load the batch grows by
itself and each claim's share of the round trips shrinks
(``engine.adjudication.batch``). A claim is still answered only once its ledger
records are committed.

Transmissions the batch hands back, and every transmission of a batch that failed
as a whole, are adjudicated alone afterwards, the ordinary way, once the batch's
own records are committed: a claim repeated within one batch then finds the first
one paid.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

from api.http.metrics import ClaimMetrics
from api.runtime import Runtime
from engine.adjudication.batch import BatchOutcome, adjudicate_batch, batchable
from engine.adjudication.transmission import TransmissionResult, adjudicate_transmission
from engine.store.base import record_together
from engine.store.sql.writer import Deferred, deferring

__all__ = ["ClaimBatcher"]

log = logging.getLogger("rxadj.http")

_Waiting = tuple[bytes, dt.date, "asyncio.Future[TransmissionResult]"]


def _settle(future: asyncio.Future[TransmissionResult], result: TransmissionResult) -> None:
    if not future.done():  # a cancelled request (the client went away) wants nothing
        future.set_result(result)


def _fail(future: asyncio.Future[TransmissionResult], error: BaseException) -> None:
    if not future.done():
        future.set_exception(error)


class ClaimBatcher:
    """Collects one event loop's NCPDP requests into batches of at most ``max_batch``."""

    def __init__(self, runtime: Runtime, metrics: ClaimMetrics, max_batch: int = 64) -> None:
        self.runtime = runtime
        self.metrics = metrics
        self.max_batch = max_batch
        self._waiting: list[_Waiting] = []
        self._scheduled = False
        self._tasks: set[asyncio.Task[None]] = set()

    async def adjudicate(self, data: bytes, received: dt.date) -> TransmissionResult:
        """The transmission's result, once its ledger records are durable."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[TransmissionResult] = loop.create_future()
        self._waiting.append((data, received, future))
        if not self._scheduled:
            self._scheduled = True
            loop.call_soon(self._start)
        return await future

    def _start(self) -> None:
        self._scheduled = False
        waiting, self._waiting = self._waiting, []
        for start in range(0, len(waiting), self.max_batch):
            task = asyncio.ensure_future(self._run(waiting[start : start + self.max_batch]))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _run(self, batch: list[_Waiting]) -> None:
        processor = self.runtime.processor
        outcomes = [BatchOutcome(None) for _ in batch]
        self.metrics.batch_size.observe(len(batch))
        if len(batch) > 1 and batchable(processor):
            try:
                outcomes = adjudicate_batch([(data, day) for data, day, _ in batch], processor)
            except Exception as exc:  # each is tried alone below, where its error is answered
                log.warning(
                    "a batch of %d claims failed (%s); each goes alone",
                    len(batch),
                    type(exc).__name__,
                )
            self.metrics.alone.inc(sum(1 for outcome in outcomes if outcome.result is None))
        recorded: list[tuple[asyncio.Future[TransmissionResult], TransmissionResult, Deferred]] = []
        for (_, _, future), outcome in zip(batch, outcomes, strict=True):
            if outcome.result is None:
                continue
            try:
                with deferring() as writes:
                    for entries in outcome.entries:
                        record_together(processor.ledger, entries)
            except Exception as exc:
                _fail(future, exc)
                continue
            recorded.append((future, outcome.result, writes))
        for future, result, writes in recorded:
            try:
                await writes.committed()
            except Exception as exc:
                _fail(future, exc)
            else:
                _settle(future, result)
        for (data, received, future), outcome in zip(batch, outcomes, strict=True):
            if outcome.result is not None:
                continue
            try:
                with deferring() as writes:
                    result = adjudicate_transmission(data, processor, received)
                await writes.committed()
            except Exception as exc:
                _fail(future, exc)
            else:
                _settle(future, result)
