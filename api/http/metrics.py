"""Prometheus metrics: claims by transaction code and status, reject codes, latency, batches.

Labels carry codes only — never a member, cardholder, prescriber or pharmacy id —
so metrics can leave the building. With several worker processes the client's
multiprocess mode aggregates them (``PROMETHEUS_MULTIPROC_DIR``, set by ``rxadj serve``).
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

from engine.adjudication.decision import Decision

__all__ = ["CONTENT_TYPE_LATEST", "ClaimMetrics", "render"]

_BUCKETS = (0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


class ClaimMetrics:
    """The service's own metrics, in a registry of their own."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        self.claims = Counter(
            "rxadj_claims",
            "Claim transactions answered",
            ["transaction_code", "status"],
            registry=self.registry,
        )
        self.rejects = Counter(
            "rxadj_rejects", "Reject codes answered", ["code"], registry=self.registry
        )
        self.latency = Histogram(
            "rxadj_request_seconds",
            "Time to answer a claim request",
            ["endpoint"],
            buckets=_BUCKETS,
            registry=self.registry,
        )
        self.batch_size = Histogram(
            "rxadj_claim_batch_transmissions",
            "Transmissions adjudicated together in one batch (api.http.batcher)",
            buckets=(1, 2, 4, 8, 16, 32, 64),
            registry=self.registry,
        )
        self.alone = Counter(
            "rxadj_claims_alone",
            "Transmissions a batch handed back to be adjudicated alone "
            "(a conflict with another worker, a repeated claim key, a failed batch)",
            registry=self.registry,
        )

    def count(self, decisions: tuple[Decision, ...] | list[Decision]) -> None:
        """Count each decision and each reject code it answered with."""
        for decision in decisions:
            self.claims.labels(decision.transaction_code, decision.status).inc()
            for reject in decision.rejects:
                self.rejects.labels(reject.code.code).inc()


def render(metrics: ClaimMetrics) -> bytes:
    """The exposition text: every worker's metrics when running multiprocess."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest(metrics.registry)
