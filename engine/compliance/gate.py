"""The publishing gate: a failing plan version is refused unless overridden on the record.

Publishing calls :func:`gate_publication` with the candidate version and the catalog
it would join. Without failures it is allowed. With failures it is refused, unless an
:class:`Override` names every failing check, gives a reason and an approver, and the
:class:`OverrideLog` accepts the record; the log is written *before* the answer is
given, so no override takes effect unrecorded. The log itself (the audit table in the
SQL ledger) belongs to the ledger; this module only defines the port it must satisfy.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from engine.catalog.catalog import Catalog
from engine.compliance.checker import review_plan
from engine.compliance.results import CheckResult, PlanReport
from engine.plans.plan import PlanVersion

__all__ = [
    "Override",
    "OverrideError",
    "OverrideLog",
    "OverrideRecord",
    "PublishDecision",
    "gate_publication",
]


class OverrideError(ValueError):
    """An override that cannot be accepted: no reason, no approver, checks left out, no log."""


@dataclass(frozen=True, slots=True)
class Override:
    """A compliance officer's decision to publish despite failing checks.

    ``checks`` lists the ids of the failing checks the officer accepts: a failure the
    officer did not see (a new rule, a changed figure) is never waved through.
    """

    reason: str
    approved_by: str
    checks: frozenset[str]


@dataclass(frozen=True, slots=True)
class OverrideRecord:
    """What the audit log keeps for one override."""

    plan: str
    version: str
    plan_year: dt.date
    reason: str
    approved_by: str
    failures: tuple[CheckResult, ...]
    rule_sets: tuple[str, ...]
    recorded_on: dt.date


class OverrideLog(Protocol):
    """The audit log overrides are written to (the SQL ledger's audit table)."""

    def record_override(self, record: OverrideRecord) -> None:
        """Store the record durably; raise if it cannot be stored."""
        ...


@dataclass(frozen=True, slots=True)
class PublishDecision:
    """Whether the version may be published, and on what grounds."""

    allowed: bool
    overridden: bool
    report: PlanReport

    @property
    def failures(self) -> tuple[CheckResult, ...]:
        """The binding checks that failed."""
        return self.report.failures


def gate_publication(
    plan: PlanVersion,
    catalog: Catalog,
    today: dt.date,
    override: Override | None = None,
    log: OverrideLog | None = None,
) -> PublishDecision:
    """Allow a passing version; refuse a failing one unless overridden and recorded."""
    report = review_plan(plan, catalog)
    if not report.failures:
        return PublishDecision(allowed=True, overridden=False, report=report)
    if override is None:
        return PublishDecision(allowed=False, overridden=False, report=report)
    if not override.reason.strip():
        raise OverrideError("an override needs a reason")
    if not override.approved_by.strip():
        raise OverrideError("an override needs the name of who approved it")
    missing = sorted({check.id for check in report.failures} - override.checks)
    if missing:
        raise OverrideError(f"the override does not name failing checks: {', '.join(missing)}")
    if log is None:
        raise OverrideError("an override must be recorded: no audit log was given")
    log.record_override(
        OverrideRecord(
            plan=plan.plan,
            version=plan.version,
            plan_year=report.plan_year,
            reason=override.reason.strip(),
            approved_by=override.approved_by.strip(),
            failures=report.failures,
            rule_sets=report.rule_sets,
            recorded_on=today,
        )
    )
    return PublishDecision(allowed=True, overridden=True, report=report)
