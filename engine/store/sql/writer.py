"""Group commit: many callers' ledger writes made durable by one transaction.

A claim is acknowledged only once its ledger record is committed, and a commit
costs an fsync. One writer thread takes every write waiting in its queue, runs
them in one transaction, commits once and then releases each caller; while it
commits, new writes queue up and form the next batch. Under load the fsync is
shared by the whole batch; a lone caller waits for exactly one commit, as it
would without the writer.

A batch that fails on one bad write is retried one write per transaction, so only
the bad write's caller sees the error; a batch whose COMMIT lost its connection is
not retried (it may have committed: a retry could record its claims twice), and
its callers are not acknowledged. ``on_committed`` hears of committed work on a
second thread, batched, so that (for example) confirming transactions in Redis
never delays the next commit. A write that waited longer than ``lease``
seconds is refused instead of committed: recovery may undo accumulator
transactions the ledger has not confirmed after a grace period longer than the
lease (``engine.recovery``), so a late commit must never happen.

Several processes writing one SQLite file take turns through ``lock_file`` (an
``flock``), held from before the lease check to after the commit: SQLite's own
busy handler makes a waiting writer sleep in growing steps (1, 2, 5, 10... ms),
which with two busy workers put tens of milliseconds on the tail latency, while
the kernel hands an ``flock`` over at once. SQLite's lock stays the guard against
every other process (a member load, a rebuild).

Inside ``writing_here()`` (the HTTP batcher, on its event loop, with a whole batch
of claims' records at once) rows are only collected, and ``Held.commit`` writes
them in the caller's own thread, in one transaction, with the same lease, retry
and unknown-commit rules: the claims are still acknowledged only once durable.
Handing them to the writer thread instead (and awaiting a future the writer set)
cost the event loop more than the commit: under load the writer and the loop took
turns at the interpreter lock, and every turn the writer waited for (one per
round trip of its pipeline) could take the loop's whole switch interval, 5 ms; the
commit of a batch averaged 15 ms at 500 claims/s. A lock keeps the caller's
commits and the writer thread's apart. A ledger read in the same context first
commits the context's own collected writes (``settle``), so a transmission's later
transaction sees its earlier ones exactly as with waiting writes.

A write may also be submitted as rows for a ``BatchWrite``: consecutive jobs of one
batch function in a batch are written by a single call (one executemany instead of
a statement per caller), in the order they were queued. Such a job written alone
(the retry after a failed batch) is the same call with one payload.
"""

from __future__ import annotations

import fcntl
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError

from engine.store.base import StoreError, StoreUnavailable
from engine.store.sql.database import describe_database_error

__all__ = [
    "BatchWrite",
    "GroupCommitWriter",
    "Held",
    "Write",
    "WriterStats",
    "settle",
    "writing_here",
]

_log = logging.getLogger(__name__)

Write = Callable[[Connection], Sequence[Any]]
"""Runs inside the batch's transaction; returns what ``on_committed`` should hear of."""
BatchWrite = Callable[[Connection, list[Any]], list[Sequence[Any]]]
"""Writes many jobs' payloads at once; returns each job's ``on_committed`` items, in order."""


@dataclass(slots=True)
class _Job:
    write: Write | None
    enqueued: float
    batch: BatchWrite | None = None
    payload: Any = None
    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None
    result: Sequence[Any] = ()


def settle() -> None:
    """Commit this context's own collected writes before it reads (read your own writes)."""
    held = _HELD.get()
    if held is not None:
        held.commit()


class Held:
    """The ledger writes one context collected, to be committed in the caller's thread."""

    def __init__(self) -> None:
        self.jobs: list[_Job] = []
        self.writer: GroupCommitWriter | None = None
        self._committed = 0

    def commit(self) -> None:
        """Write the jobs collected since the last commit in one transaction, here.

        Each job keeps its own error (``error``).
        """
        pending = self.jobs[self._committed :]
        self._committed = len(self.jobs)
        if self.writer is not None and pending:
            self.writer.commit_here(pending)

    def discard(self, start: int) -> None:
        """Forget the uncommitted jobs from ``start`` on (their caller failed)."""
        del self.jobs[max(start, self._committed) :]

    def error(self, start: int, end: int) -> BaseException | None:
        """The first failure among jobs ``start`` to ``end`` (one caller's), if any."""
        return next((job.error for job in self.jobs[start:end] if job.error is not None), None)


_HELD: ContextVar[Held | None] = ContextVar("rxadj_ledger_held", default=None)


@contextmanager
def writing_here() -> Iterator[Held]:
    """Collect this context's claim ledger writes for ``Held.commit`` (module docstring)."""
    held = Held()
    token = _HELD.set(held)
    try:
        yield held
    finally:
        _HELD.reset(token)


@dataclass(slots=True)
class WriterStats:
    """How many writes and how many commits: their ratio is the group-commit gain."""

    writes: int = 0
    commits: int = 0
    largest_batch: int = 0


class _CommitUnknown(Exception):
    """The connection was lost during COMMIT: the batch may or may not be durable."""

    def __init__(self, cause: DBAPIError) -> None:
        super().__init__(str(cause))
        self.cause = type(cause.orig).__name__ if cause.orig is not None else type(cause).__name__

    def refusal(self) -> StoreUnavailable:
        """What each caller of the batch is told."""
        return StoreUnavailable(
            f"the ledger commit's outcome is unknown ({self.cause}); not acknowledged"
        )


def _as_store_error(exc: BaseException) -> StoreError:
    if isinstance(exc, IntegrityError):
        return StoreError(f"the ledger refused a record: {describe_database_error(exc)}")
    if isinstance(exc, DBAPIError | SQLAlchemyError):
        reason = describe_database_error(exc)
        return StoreUnavailable(f"the ledger database is unavailable: {reason}")
    return StoreError(f"ledger write failed: {type(exc).__name__}")


class GroupCommitWriter:
    """One background thread that commits queued writes in batches."""

    def __init__(
        self,
        engine: Engine,
        *,
        max_batch: int = 500,
        lease: float = 10.0,
        on_committed: Callable[[list[Any]], None] | None = None,
        lock_file: Path | None = None,
    ) -> None:
        self.engine = engine
        self.lock_file = lock_file
        self.max_batch = max_batch
        self.lease = lease
        self.on_committed = on_committed
        self.stats = WriterStats()
        self._queue: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._confirmations: queue.SimpleQueue[list[Any] | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._confirmer: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._lock_handle: Any = None
        self._closed = False

    def submit(self, write: Write) -> Sequence[Any]:
        """Queue a write and wait until it is committed; raise StoreError if it was not."""
        return self._wait(_Job(write, time.monotonic()))

    def submit_rows(self, batch: BatchWrite, payload: Any) -> Sequence[Any]:
        """Queue ``payload`` for ``batch`` (module docstring) and wait until it is committed.

        Inside ``writing_here()`` the job is only collected, and this returns at once.
        """
        job = _Job(None, time.monotonic(), batch, payload)
        held = _HELD.get()
        if held is not None:
            if self._closed:
                raise StoreUnavailable("the ledger writer is closed")
            if held.writer not in (None, self):
                raise StoreError("one held context writes to one ledger")
            held.writer = self
            held.jobs.append(job)
            return ()
        return self._wait(job)

    def _wait(self, job: _Job) -> Sequence[Any]:
        if self._closed:
            raise StoreUnavailable("the ledger writer is closed")
        self._ensure_thread()
        self._queue.put(job)
        job.done.wait()
        if job.error is not None:
            raise job.error
        return job.result

    def close(self) -> None:
        """Finish queued writes and stop the thread."""
        self._closed = True
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None
        if self._confirmer is not None:
            self._confirmations.put(None)
            self._confirmer.join()
            self._confirmer = None
        if self._lock_handle is not None:
            self._lock_handle.close()
            self._lock_handle = None

    def _ensure_thread(self) -> None:
        with self._start_lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="rxadj-ledger-writer", daemon=True
                )
                self._thread.start()
                self._confirmer = threading.Thread(
                    target=self._confirm, name="rxadj-ledger-confirmer", daemon=True
                )
                self._confirmer.start()

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            stop = False
            while len(batch) < self.max_batch:
                try:
                    job = self._queue.get_nowait()
                except queue.Empty:
                    break
                if job is None:
                    stop = True
                    break
                batch.append(job)
            self._commit(batch)
            if stop:
                return

    def commit_here(self, jobs: list[_Job]) -> None:
        """Write ``jobs`` in the calling thread (``writing_here``); errors stay on the jobs."""
        if self._closed:
            for job in jobs:
                job.error = StoreUnavailable("the ledger writer is closed")
            return
        self._ensure_thread()  # the confirmer hears of these commits too
        self._commit(jobs)

    def _commit(self, batch: list[_Job]) -> None:
        with self._write_lock, self._turn():
            live = self._write(batch)
        confirmed = [item for job in live if job.error is None for item in job.result]
        for job in batch:
            job.done.set()
        if confirmed and self.on_committed is not None:
            self._confirmations.put(confirmed)

    @contextmanager
    def _turn(self) -> Iterator[None]:
        """Take the turn to write the SQLite file (module docstring); a no-op elsewhere."""
        if self.lock_file is None:
            yield
            return
        if self._lock_handle is None:
            self._lock_handle = self.lock_file.open("a")
        fcntl.flock(self._lock_handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self._lock_handle, fcntl.LOCK_UN)

    def _expired(self, job: _Job) -> bool:
        """Refuse ``job`` if it waited past the lease (module docstring); whether it did."""
        if time.monotonic() - job.enqueued <= self.lease:
            return False
        job.error = StoreUnavailable(
            f"the ledger write waited over {self.lease:g}s; not acknowledged"
        )
        return True

    def _write(self, batch: list[_Job]) -> list[_Job]:
        """Refuse the jobs past their lease, write the others; the jobs written.

        A batch that failed before its commit is retried one write per
        transaction, each checked against its lease again, so only a bad write's
        caller hears of it. A commit whose outcome is unknown (the connection was
        lost during COMMIT) is never retried: the rows may be in the ledger
        already, and writing them again would record the claims twice. Its callers
        are told the write was not acknowledged; recovery confirms whatever did
        commit, and the switch's retry gets "duplicate of paid".
        """
        live = [job for job in batch if not self._expired(job)]
        try:
            self._transaction_reconnecting(live)
        except _CommitUnknown as unknown:
            for job in live:
                job.error = unknown.refusal()
        except Exception as exc:
            if len(live) == 1:
                live[0].error = _as_store_error(exc)
            else:
                for job in live:
                    if self._expired(job):
                        continue
                    try:
                        self._transaction_reconnecting([job])
                    except _CommitUnknown as unknown:
                        job.error = unknown.refusal()
                    except Exception as single:
                        job.error = _as_store_error(single)
        return live

    def _confirm(self) -> None:
        """Hand committed transactions to ``on_committed``, batched, off the writer's path."""
        while True:
            first = self._confirmations.get()
            if first is None:
                return
            items = list(first)
            stop = False
            while True:
                try:
                    more = self._confirmations.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    stop = True
                    break
                items.extend(more)
            try:
                if self.on_committed is not None:
                    self.on_committed(items)
            except Exception:  # recovery confirms whatever this misses
                _log.warning("confirming %d committed transactions failed", len(items))
            if stop:
                return

    def _transaction_reconnecting(self, jobs: list[_Job]) -> None:
        """``_transaction``, once more on a new connection if the pooled one was dead.

        The pool does not ping a connection before lending it (a round trip per
        commit); a connection the database dropped since (a restart) fails before
        COMMIT, so nothing was written and the same jobs can run again at once.
        """
        try:
            self._transaction(jobs)
        except DBAPIError as exc:
            if not exc.connection_invalidated:
                raise
            self._transaction(jobs)

    def _transaction(self, jobs: list[_Job]) -> None:
        if not jobs:
            return
        results: list[Sequence[Any]] = []
        with self.engine.connect() as conn:
            transaction = conn.begin()
            start = 0
            while start < len(jobs):
                job = jobs[start]
                if job.batch is None:
                    assert job.write is not None
                    results.append(job.write(conn))
                    start += 1
                    continue
                end = start + 1
                while end < len(jobs) and jobs[end].batch == job.batch:
                    end += 1
                results.extend(job.batch(conn, [j.payload for j in jobs[start:end]]))
                start = end
            try:
                transaction.commit()
            except DBAPIError as exc:
                if exc.connection_invalidated:
                    raise _CommitUnknown(exc) from exc
                raise
        for job, result in zip(jobs, results, strict=True):
            job.result = result
        self.stats.commits += 1
        self.stats.writes += len(jobs)
        self.stats.largest_batch = max(self.stats.largest_batch, len(jobs))
