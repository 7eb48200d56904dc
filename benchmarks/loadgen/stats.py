"""Statistics of a run: throughput, latency percentiles, and what the answers were.

Latency percentiles are nearest-rank over the requests the server answered with a
2xx; HTTP errors and connection failures are counted apart and never mixed into
the latency figures.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from benchmarks.load import percentile
from benchmarks.loadgen.runner import Sample

__all__ = ["RunStats", "is_http_error", "summarize"]

_FAILURES = ("HTTP ", "TimeoutError", "ConnectionRefusedError", "ConnectionResetError")


def is_http_error(outcome: str) -> bool:
    """Whether an outcome is a failure to get an answer (not an NCPDP reject)."""
    return outcome.startswith(_FAILURES) or outcome.endswith("Error")


@dataclass(frozen=True, slots=True)
class RunStats:
    """One run against one target: what was sent, answered, how fast and what came back."""

    target: str
    mode: str
    offered: float | None
    connections: int
    sent: int
    answered: int
    errors: int
    seconds: float
    achieved: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    kinds: dict[str, int] = field(default_factory=dict)
    outcomes: dict[str, int] = field(default_factory=dict)
    client_cores: float | None = None
    """CPU the load generator itself used during the run, in cores (CPU s / wall s):
    on a shared machine it is taken from the server."""


def summarize(
    sample: Sample,
    target: str,
    mode: str,
    offered: float | None,
    connections: int,
    client_cpu_seconds: float | None = None,
) -> RunStats:
    """Reduce a sample to its statistics (``achieved`` = answered per second)."""
    answered_ms = [
        latency * 1000
        for latency, outcome in zip(sample.latencies, sample.outcomes, strict=True)
        if not is_http_error(outcome)
    ]
    errors = len(sample.outcomes) - len(answered_ms)
    seconds = sample.seconds

    def rounded(value: float) -> float:
        return value if math.isnan(value) else round(value, 3)

    return RunStats(
        target=target,
        mode=mode,
        offered=offered,
        connections=connections,
        sent=len(sample.outcomes),
        answered=len(answered_ms),
        errors=errors,
        seconds=round(seconds, 3),
        achieved=round(len(answered_ms) / seconds, 1) if seconds > 0 else 0.0,
        p50_ms=rounded(percentile(answered_ms, 50)),
        p95_ms=rounded(percentile(answered_ms, 95)),
        p99_ms=rounded(percentile(answered_ms, 99)),
        max_ms=rounded(max(answered_ms, default=math.nan)),
        kinds=dict(sorted(Counter(sample.kinds).items())),
        outcomes=dict(sorted(Counter(sample.outcomes).items())),
        client_cores=(
            round(client_cpu_seconds / seconds, 2)
            if client_cpu_seconds is not None and seconds > 0
            else None
        ),
    )
