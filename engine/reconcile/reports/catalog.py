"""Every report by name, for the command line and the HTTP API."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from sqlalchemy import Connection

from engine.reconcile.codes import ClaimCategory
from engine.reconcile.reports import loads, receivables, runs
from engine.reconcile.reports.model import Report
from engine.reconcile.reports.params import ReportParams

__all__ = ["REPORTS", "UnknownReport", "build_report"]

Builder = Callable[[Connection, ReportParams], Report]


class UnknownReport(KeyError):
    """No report has that name."""


def _exceptions(category: ClaimCategory) -> Builder:
    return partial(loads.claim_exceptions, category=category)


def _outcome(name: str) -> Builder:
    return partial(runs.outcome_report, name=name)


REPORTS: dict[str, tuple[str, Builder]] = {
    **{
        f"claims-{c.value.replace('_', '-')}": (
            f"claims load: {c.value.replace('_', ' ')} claims",
            _exceptions(c),
        )
        for c in ClaimCategory
        if c != ClaimCategory.VALID
    },
    "claims-summary": ("claims load: valid claims, amount due by store", loads.claims_summary),
    "payment-detail": ("payment load: every payment, grouped by claim", loads.payment_detail),
    "payment-summary": ("payment load: totals by store and plan", loads.payment_summary),
    **{name: (f"run: {spec[1]}", _outcome(name)) for name, spec in runs.OUTCOME_REPORTS.items()},
    "payment-summary-by-age": ("run: posted payments by claim age", runs.summary_by_age),
    "aging-detail": ("open claims with their age (30/60/90+)", receivables.aging_detail),
    "aging-summary": ("open claims by age bucket, store and plan", receivables.aging_summary),
    "open-claims": ("open claims older than --before", receivables.open_claims),
    "paid-claims": ("claims paid on --on", receivables.paid_claims),
    "days-to-payment": ("days from dispensing to payment, by payer", receivables.days_to_payment),
    "provider-adjustments": (
        "fees, DIR, recoupments and interest (PLB), by payer",
        receivables.provider_adjustments,
    ),
}
"""Report name → (what it shows, builder)."""


def build_report(conn: Connection, name: str, params: ReportParams) -> Report:
    """Build the named report; raises UnknownReport."""
    found = REPORTS.get(name)
    if found is None:
        raise UnknownReport(name)
    return found[1](conn, params)
