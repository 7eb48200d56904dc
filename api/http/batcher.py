"""The switch's claims that arrive together, adjudicated as one batch.

Requests that reach the NCPDP handler close together join one batch. The batch
starts a millisecond after its first request, or, while requests keep arriving,
a millisecond after the last, but never later than ``wait`` seconds after the
first. A batch runs on the event loop itself and holds it, and a request needs
several turns of the loop to get from the socket to the handler: starting a
batch on every turn (``call_soon``) held each of those steps up behind one
(measured at 300 claims/s on one worker: 14 ms in the handler, 58 ms as the
switch saw it), while the pauses let them through. Under light load a claim
waits a millisecond and costs what it did alone; under load batches grow and
each claim's share of the round trips shrinks (``engine.adjudication.batch``).
The batch's ledger records are committed right here, in one transaction
(``engine.store.sql.writer.writing_here`` says why not in the writer's thread),
and a claim is answered only once they are.

Transmissions the batch hands back, and every transmission of a batch that failed
as a whole, are adjudicated alone afterwards, the ordinary way, once the batch's
own records are committed: a claim repeated within one batch then finds the first
one paid. A lone claim (the usual case under light load) goes that way at once.
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
from engine.store.sql.writer import writing_here

__all__ = ["ClaimBatcher"]

log = logging.getLogger("rxadj.http")

_STEP = 0.001
"""How long a batch waits at a time for more requests (module docstring)."""

_Waiting = tuple[bytes, dt.date, "asyncio.Future[TransmissionResult]"]


def _settle(future: asyncio.Future[TransmissionResult], result: TransmissionResult) -> None:
    if not future.done():  # a cancelled request (the client went away) wants nothing
        future.set_result(result)


def _fail(future: asyncio.Future[TransmissionResult], error: BaseException) -> None:
    if not future.done():
        future.set_exception(error)


def _answer(
    future: asyncio.Future[TransmissionResult],
    result: TransmissionResult,
    error: BaseException | None,
) -> None:
    if error is None:
        _settle(future, result)
    else:
        _fail(future, error)


class ClaimBatcher:
    """Collects one event loop's NCPDP requests into batches of at most ``max_batch``."""

    def __init__(
        self, runtime: Runtime, metrics: ClaimMetrics, wait: float = 0.005, max_batch: int = 64
    ) -> None:
        self.runtime = runtime
        self.metrics = metrics
        self.wait = wait
        self.max_batch = max_batch
        self._waiting: list[_Waiting] = []
        self._scheduled = False
        self._first = 0.0
        self._seen = 0

    async def adjudicate(self, data: bytes, received: dt.date) -> TransmissionResult:
        """The transmission's result, once its ledger records are durable."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[TransmissionResult] = loop.create_future()
        self._waiting.append((data, received, future))
        if not self._scheduled:
            self._scheduled = True
            self._first = loop.time()
            self._seen = len(self._waiting)
            loop.call_later(_STEP, self._start, loop)
        return await future

    def _start(self, loop: asyncio.AbstractEventLoop) -> None:
        arriving = self._seen < len(self._waiting) < self.max_batch
        if arriving and loop.time() < self._first + self.wait:
            self._seen = len(self._waiting)
            loop.call_later(_STEP, self._start, loop)
            return
        self._scheduled = False
        waiting, self._waiting = self._waiting, []
        for start in range(0, len(waiting), self.max_batch):
            batch = waiting[start : start + self.max_batch]
            try:
                self._run(batch)
            except Exception as exc:  # every request must get an answer, even then
                for _, _, future in batch:
                    _fail(future, exc)

    def _run(self, batch: list[_Waiting]) -> None:
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
        answered: list[tuple[asyncio.Future[TransmissionResult], TransmissionResult, int, int]]
        answered = []
        with writing_here() as held:
            for (_, _, future), outcome in zip(batch, outcomes, strict=True):
                if outcome.result is None:
                    continue
                start = len(held.jobs)
                try:
                    for entries in outcome.entries:
                        record_together(processor.ledger, entries)
                except Exception as exc:
                    held.discard(start)
                    _fail(future, exc)
                    continue
                answered.append((future, outcome.result, start, len(held.jobs)))
        held.commit()
        for future, result, start, end in answered:
            _answer(future, result, held.error(start, end))
        for (data, received, future), outcome in zip(batch, outcomes, strict=True):
            if outcome.result is None:
                self._alone(data, received, future)

    def _alone(
        self, data: bytes, received: dt.date, future: asyncio.Future[TransmissionResult]
    ) -> None:
        """Adjudicate one transmission the ordinary way and commit its records here."""
        try:
            with writing_here() as held:
                result = adjudicate_transmission(data, self.runtime.processor, received)
            held.commit()
        except Exception as exc:
            _fail(future, exc)
            return
        _answer(future, result, held.error(0, len(held.jobs)))
