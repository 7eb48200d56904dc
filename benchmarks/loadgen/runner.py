"""Driving the load: open loop at a target rate, or closed loop with N connections.

Open loop: request ``i`` is due at ``start + i / rate`` whether or not earlier ones
were answered, and its latency counts from that due time, so a server that falls
behind shows its queue in the latency (no coordinated omission). ``connections``
keep-alive connections carry the requests; a due request waits for a free one.

Closed loop: each of ``connections`` connections sends its next request as soon as
the previous one is answered, for ``duration`` seconds: the throughput ceiling.
Latency counts from the send.

Every answer is classified (``response_outcome``) and fed back to the workload, so
B2s only ever reverse B1s that this run saw paid.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from benchmarks.loadgen.client import HttpConnection, HttpError
from benchmarks.loadgen.workload import Workload, response_outcome

__all__ = ["Outcome", "Sample", "run_closed", "run_open"]

PATH = "/v1/ncpdp"
Outcome = Callable[[bytes], str]
"""Classifies a response body (``response_outcome`` for rxadj; the echo's is trivial)."""


@dataclass(slots=True)
class Sample:
    """Everything one run observed: per request kind, latency (s) and outcome."""

    kinds: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    outcomes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, kind: str, latency: float, outcome: str) -> None:
        """Record one request."""
        self.kinds.append(kind)
        self.latencies.append(latency)
        self.outcomes.append(outcome)


def _connections(server: str, count: int, headers: dict[str, str]) -> list[HttpConnection]:
    url = urlsplit(server)
    sent = {"Content-Type": "application/octet-stream", **headers}
    return [
        HttpConnection(url.hostname or "127.0.0.1", url.port or 80, PATH, sent)
        for _ in range(count)
    ]


async def _one(
    connection: HttpConnection, body: bytes, timeout: float, outcome: Outcome
) -> tuple[str, bytes]:
    try:
        status, answer = await connection.post(body, timeout)
    except (TimeoutError, OSError, HttpError, ValueError) as exc:
        connection.close()
        return type(exc).__name__, b""
    if not 200 <= status < 300:
        return f"HTTP {status}", answer
    return outcome(answer), answer


async def run_open(
    server: str,
    workload: Workload,
    rate: float,
    duration: float,
    connections: int = 64,
    headers: dict[str, str] | None = None,
    timeout: float = 10.0,
    outcome: Outcome = response_outcome,
) -> Sample:
    """Offer ``rate`` requests/s for ``duration`` s (see the module docstring)."""
    pool: asyncio.Queue[HttpConnection] = asyncio.Queue()
    for connection in _connections(server, connections, headers or {}):
        pool.put_nowait(connection)
    count = math.floor(rate * duration)
    kinds = workload.mix.kinds(count, workload.rng)
    sample = Sample()
    loop = asyncio.get_running_loop()
    start = loop.time()

    async def one(due: float, kind: str) -> None:
        kind, claim, body = workload.next(kind)
        connection = await pool.get()
        try:
            result, _ = await _one(connection, body, timeout, outcome)
        finally:
            pool.put_nowait(connection)
        sample.add(kind, loop.time() - start - due, result)
        workload.answered(kind, claim, result)

    tasks = []
    for index, kind in enumerate(kinds):
        due = index / rate
        delay = start + due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(due, kind)))
    await asyncio.gather(*tasks)
    sample.seconds = loop.time() - start
    while not pool.empty():
        pool.get_nowait().close()
    return sample


async def run_closed(
    server: str,
    workload: Workload,
    duration: float,
    connections: int = 64,
    headers: dict[str, str] | None = None,
    timeout: float = 10.0,
    outcome: Outcome = response_outcome,
) -> Sample:
    """Keep ``connections`` requests in flight for ``duration`` s (see the module docstring)."""
    sample = Sample()
    loop = asyncio.get_running_loop()
    start = loop.time()
    stop = start + duration

    async def worker(connection: HttpConnection) -> None:
        while loop.time() < stop:
            kind, claim, body = workload.next(workload.mix.kinds(1, workload.rng)[0])
            sent = loop.time()
            result, _ = await _one(connection, body, timeout, outcome)
            sample.add(kind, loop.time() - sent, result)
            workload.answered(kind, claim, result)
        connection.close()

    await asyncio.gather(*(worker(c) for c in _connections(server, connections, headers or {})))
    sample.seconds = loop.time() - start
    return sample
