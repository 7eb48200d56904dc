"""Batch files in and out: medical accumulators, eligibility, partner exports."""

from engine.loading.summary import LoadSummary, Progress, RowProblem

__all__ = ["LoadSummary", "Progress", "RowProblem"]
