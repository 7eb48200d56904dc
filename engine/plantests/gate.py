"""The publishing gate for plan tests: a version whose tests fail is not published.

Publishing runs the test files the candidate touches (a plan version's own file; for
an edit set or mandate file, every plan's) against the catalog the candidate would
make. A failing scenario, or a plan version without any test, refuses the
publication unless a :class:`PlanTestOverride` names every failing scenario, gives a
reason and an approver, and the :class:`PlanTestOverrideLog` accepts the record first:
as with compliance overrides, nothing is waved through unrecorded or unseen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from engine.catalog.catalog import Catalog
from engine.plantests.runner import ScenarioResult, run_plan_tests, select_tests

__all__ = [
    "PlanTestGateDecision",
    "PlanTestOverride",
    "PlanTestOverrideError",
    "PlanTestOverrideLog",
    "PlanTestOverrideRecord",
    "gate_plan_tests",
    "scenario_id",
]


class PlanTestOverrideError(ValueError):
    """An override that cannot be accepted: no reason or approver, failures left out."""


def scenario_id(result: ScenarioResult) -> str:
    """How an override names a scenario: ``PLAN@VERSION/scenario name``."""
    return f"{result.plan}@{result.version}/{result.name}"


@dataclass(frozen=True, slots=True)
class PlanTestOverride:
    """An approver's decision to publish despite failing (or missing) plan tests."""

    reason: str
    approved_by: str
    scenarios: frozenset[str] = frozenset()
    """Every failing scenario accepted, as :func:`scenario_id` writes it."""
    untested: bool = False
    """Accept a plan version that has no test file at all."""


@dataclass(frozen=True, slots=True)
class PlanTestOverrideRecord:
    """What the audit log keeps for one override."""

    versions: tuple[str, ...]
    reason: str
    approved_by: str
    failing: tuple[str, ...]
    untested: tuple[str, ...]


class PlanTestOverrideLog(Protocol):
    """Where overrides are recorded (the SQL ledger's audit table)."""

    def record_test_override(self, record: PlanTestOverrideRecord) -> None:
        """Store the record durably; raise if it cannot be stored."""
        ...


@dataclass(frozen=True, slots=True)
class PlanTestGateDecision:
    """The tests run, and whether the candidate may be published."""

    allowed: bool
    overridden: bool
    results: tuple[ScenarioResult, ...]
    untested: tuple[str, ...]
    """Plan versions that should have been tested and have no test file."""

    @property
    def failing(self) -> tuple[str, ...]:
        """The scenarios that failed, as :func:`scenario_id` writes them."""
        return tuple(scenario_id(r) for r in self.results if not r.passed)


def gate_plan_tests(
    catalog: Catalog,
    versions: Sequence[str] | None,
    override: PlanTestOverride | None = None,
    log: PlanTestOverrideLog | None = None,
) -> PlanTestGateDecision:
    """Run the tests of ``versions`` (``PLAN@VERSION``; None: every test file) and judge.

    A named version without a test file counts as untested; with ``versions`` None
    only the test files there are run (an edit set reaches every plan, tested or not).
    """
    names = list(versions) if versions is not None else []
    selected = select_tests(catalog, names)
    results = tuple(run_plan_tests(catalog, selected))
    tested = {f"{file.plan}@{file.version}" for file, _, _ in selected}
    untested = tuple(sorted(set(names) - tested))
    failing = tuple(scenario_id(r) for r in results if not r.passed)
    if not failing and not untested:
        return PlanTestGateDecision(True, False, results, ())
    if override is None:
        return PlanTestGateDecision(False, False, results, untested)
    if not override.reason.strip():
        raise PlanTestOverrideError("an override needs a reason")
    if not override.approved_by.strip():
        raise PlanTestOverrideError("an override needs the name of who approved it")
    missing = [name for name in failing if name not in override.scenarios]
    if missing:
        raise PlanTestOverrideError(
            f"the override does not name failing scenarios: {'; '.join(missing)}"
        )
    if untested and not override.untested:
        raise PlanTestOverrideError(
            f"no plan tests for {', '.join(untested)}: the override must accept that too"
        )
    if log is None:
        raise PlanTestOverrideError("an override must be recorded: no audit log was given")
    log.record_test_override(
        PlanTestOverrideRecord(
            versions=tuple(names) or ("every plan with tests",),
            reason=override.reason.strip(),
            approved_by=override.approved_by.strip(),
            failing=failing,
            untested=untested,
        )
    )
    return PlanTestGateDecision(True, True, results, untested)
