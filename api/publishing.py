"""Validating, dry-running, publishing and rolling back plan and rule versions.

One workflow for the HTTP service and the command line. A candidate file is loaded
together with everything in force (so references, overlaps and conditions are
checked exactly as a real load would), plan versions are checked against the
compliance mandates, the plan tests the candidate touches are run (a plan version's
own test file, which may travel with it; every plan's for an edit set or mandate
file), and only a candidate that passes — or whose failures a named approver
overrides with a reason — is published. Overrides are written to the audit log
before anything is published, and only once both gates have let the candidate by. Every publish
and rollback is written to the audit log with the version before and after, and the
new catalog replaces the old one in this process at once (other workers reload when
they see the publication generation change).

Only YAML-only kinds (plan versions, their test files, edit sets, mandates) can be
published this way: formularies, networks and price lists come with CSV tables and
are deployed as files, and so are test files that keep scenarios in a CSV file.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from api.runtime import Runtime, load_settings_catalog
from engine.adjudication.dryrun import ClaimEvent, DryRun, dry_run
from engine.catalog.catalog import Catalog
from engine.catalog.loader import load_catalog
from engine.catalog.publication import (
    FileIdentity,
    Publication,
    PublicationError,
    PublicationStore,
    identify,
)
from engine.compliance.gate import Override, OverrideRecord, gate_publication
from engine.compliance.results import PlanReport
from engine.medical import MedicalTxn
from engine.plantests.gate import (
    PlanTestGateDecision,
    PlanTestOverride,
    PlanTestOverrideRecord,
    gate_plan_tests,
)
from engine.plantests.junit import failure_lines
from engine.sourcefile import SourceFileError, SourceIssue, SourceRef

__all__ = ["PUBLISHABLE", "Candidate", "PublishingService", "ValidationResult", "replay_since"]

PUBLISHABLE = ("plan", "plan-tests", "edits", "mandates")
_REPLAY_BACK = dt.timedelta(days=400)


def replay_since(start: dt.date) -> dt.datetime:
    """Where a dry run's replay starts: 400 days before its window.

    That is past any plan-year start, so each claim in the window meets the
    accumulators its family really had.
    """
    first = start - _REPLAY_BACK if start > dt.date.min + _REPLAY_BACK else dt.date.min
    return dt.datetime.combine(first, dt.time(), dt.UTC)


@dataclass(frozen=True, slots=True)
class ValidationResult:
    """Whether a candidate loads, its problems, its compliance report and plan tests."""

    identity: FileIdentity | None
    issues: tuple[SourceIssue, ...]
    compliance: PlanReport | None
    plan_tests: PlanTestGateDecision | None = None

    @property
    def valid(self) -> bool:
        """Loads cleanly (compliance and test failures are judged when publishing)."""
        return self.identity is not None and not self.issues

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "valid": self.valid,
            "kind": self.identity.kind if self.identity else None,
            "id": self.identity.id if self.identity else None,
            "version": self.identity.version if self.identity else None,
            "issues": [
                {
                    "file": i.ref.path,
                    "line": i.ref.line,
                    "column": i.ref.column,
                    "message": i.message,
                }
                for i in self.issues
            ],
            "compliance": self.compliance.to_dict() if self.compliance else None,
            "plan_tests": _tests_dict(self.plan_tests) if self.plan_tests else None,
        }


def _tests_dict(decision: PlanTestGateDecision) -> dict[str, Any]:
    failed = [r for r in decision.results if not r.passed]
    return {
        "passed": len(decision.results) - len(failed),
        "failed": len(failed),
        "untested": list(decision.untested),
        "overridden": decision.overridden,
        "failures": [
            {
                "scenario": scenario,
                "source": result.source,
                "problems": list(result.problems),
                "mismatches": [
                    {
                        "claim": claim.index,
                        "field": m.field,
                        "expected": m.expected,
                        "actual": m.actual,
                    }
                    for claim in result.claims
                    for m in claim.mismatches
                ],
                "message": "; ".join(failure_lines(result)),
            }
            for scenario, result in zip(decision.failing, failed, strict=True)
        ],
    }


@dataclass(frozen=True, slots=True)
class Candidate:
    """A loaded candidate: the catalog it would make, and its plan version's report."""

    catalog: Catalog
    identity: FileIdentity
    report: PlanReport | None
    tests: FileIdentity | None = None
    """The test file that came with it, if one did."""

    def tested_versions(self) -> list[str] | None:
        """The plan versions whose tests judge it; None: every plan's."""
        if self.identity.kind in ("plan", "plan-tests"):
            return [f"{self.identity.id}@{self.identity.version}"]
        return None


class _PendingOverrides:
    """Overrides accepted by the gates, written to the audit log once both agree.

    A compliance override must not be recorded for a version the plan tests then
    refuse, so records wait here until the candidate is cleared.
    """

    def __init__(self, runtime: Runtime, actor: str) -> None:
        if runtime.sql is None:
            raise PublicationError("overrides must be recorded: no ledger is configured")
        self._ledger = runtime.sql
        self._actor = actor
        self._records: list[tuple[str, str, dict[str, Any]]] = []

    def record_override(self, record: OverrideRecord) -> None:
        self._records.append(
            (
                "compliance-override",
                f"plan {record.plan}@{record.version}",
                {
                    "reason": record.reason,
                    "approved_by": record.approved_by,
                    "failures": [f.id for f in record.failures],
                    "rule_sets": list(record.rule_sets),
                    "plan_year": record.plan_year.isoformat(),
                },
            )
        )

    def record_test_override(self, record: PlanTestOverrideRecord) -> None:
        self._records.append(
            (
                "plan-tests-override",
                f"plan tests {', '.join(record.versions)}",
                {
                    "reason": record.reason,
                    "approved_by": record.approved_by,
                    "failing": list(record.failing),
                    "untested": list(record.untested),
                },
            )
        )

    def commit(self) -> None:
        for action, subject, detail in self._records:
            self._ledger.audit(action, subject, detail, actor=self._actor)


class PublishingService:
    """The publication workflow over one runtime and its publication store."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.store = PublicationStore(runtime.settings.published_dir)
        self._swap = threading.Lock()
        self._installed = self.store.generation()

    def _load_with(self, texts: Sequence[tuple[str, FileIdentity]]) -> Catalog:
        replaced = {identity for _, identity in texts}
        files = [
            path
            for path in self.store.catalog_files(self.runtime.settings.catalog_paths)
            if identify(path.read_text(encoding="utf-8")) not in replaced
        ]
        with tempfile.TemporaryDirectory(prefix="rxadj-candidate-") as folder:
            candidates = []
            for text, identity in texts:
                candidate = Path(folder) / f"candidate-{identity.kind}-{identity.id}.yaml"
                candidate.write_text(text, encoding="utf-8")
                candidates.append(candidate)
            return load_catalog([*files, *candidates], self.runtime.settings.edit_backend)

    def load(self, text: str, tests: str | None = None) -> Candidate | ValidationResult:
        """The candidate catalog, or the validation result saying why there is none.

        ``tests`` is the plan version's test file, published with it.
        """
        identity = identify(text)
        if identity is None:
            problem = "not a YAML file that names its kind, id and version"
            return ValidationResult(None, (_nowhere(problem),), None)
        if identity.kind not in PUBLISHABLE:
            problem = (
                f"a {identity.kind} file comes with CSV tables and is deployed as "
                f"files; only {', '.join(PUBLISHABLE)} versions are published here"
            )
            return ValidationResult(identity, (_nowhere(problem),), None)
        texts = [(text, identity)]
        tests_identity = None
        if tests is not None:
            tests_identity = identify(tests)
            expected = FileIdentity("plan-tests", identity.id, identity.version)
            if identity.kind != "plan" or tests_identity != expected:
                problem = (
                    "a test file travels with the plan version it tests: "
                    f"expected a plan-tests file for {identity.id} {identity.version}"
                )
                return ValidationResult(identity, (_nowhere(problem, "tests"),), None)
            texts.append((tests, expected))
        for candidate_text, candidate_identity in texts:
            if candidate_identity.kind == "plan-tests" and _names_csv(candidate_text):
                problem = (
                    "a published test file carries its scenarios inline; test files "
                    "with a csv file of scenarios are deployed beside the plan"
                )
                return ValidationResult(identity, (_nowhere(problem, "tests"),), None)
        try:
            catalog = self._load_with(texts)
        except SourceFileError as exc:
            return ValidationResult(identity, tuple(exc.issues), None)
        report = None
        if identity.kind == "plan":
            runtime = next(
                r for r in catalog.plan_versions(identity.id) if r.plan.version == identity.version
            )
            report = gate_publication(runtime.plan, catalog, dt.date.today()).report
        return Candidate(catalog, identity, report, tests_identity)

    def validate(self, text: str, tests: str | None = None) -> ValidationResult:
        """Load the candidate with everything in force, check it and run its plan tests."""
        loaded = self.load(text, tests)
        if isinstance(loaded, ValidationResult):
            return loaded
        decision = gate_plan_tests(loaded.catalog, loaded.tested_versions())
        return ValidationResult(loaded.identity, (), loaded.report, decision)

    def dry_run(
        self, text: str, window: tuple[dt.date, dt.date], events: Iterator[ClaimEvent | MedicalTxn]
    ) -> DryRun | ValidationResult:
        """Replay ``events`` under the catalog in force and under the candidate."""
        loaded = self.load(text)
        if isinstance(loaded, ValidationResult):
            return loaded
        current = self.runtime.processor.catalog
        return dry_run(events, current, loaded.catalog, self.runtime.members, window)

    def publish(
        self,
        text: str,
        actor: str,
        override: Override | None = None,
        *,
        tests: str | None = None,
        tests_override: PlanTestOverride | None = None,
    ) -> tuple[Publication | None, ValidationResult]:
        """Publish a candidate that loads, complies and passes its plan tests.

        Failing compliance checks need ``override``; failing (or missing) plan tests
        need ``tests_override``. ``tests`` is the plan version's own test file, which
        is published with it and retired with it on rollback.
        """
        loaded = self.load(text, tests)
        if isinstance(loaded, ValidationResult):
            return None, loaded
        pending = _PendingOverrides(self.runtime, actor) if override or tests_override else None
        report = loaded.report
        allowed = True
        if loaded.identity.kind == "plan":
            runtime = next(
                r
                for r in loaded.catalog.plan_versions(loaded.identity.id)
                if r.plan.version == loaded.identity.version
            )
            decision = gate_publication(
                runtime.plan, loaded.catalog, dt.date.today(), override, pending
            )
            report, allowed = decision.report, decision.allowed
        tested = gate_plan_tests(loaded.catalog, loaded.tested_versions(), tests_override, pending)
        if not (allowed and tested.allowed):
            return None, ValidationResult(loaded.identity, (), report, tested)
        if pending is not None:
            pending.commit()
        before = self._in_force(loaded.identity)
        reasons = [o.reason.strip() for o in (override, tests_override) if o is not None]
        reason = "; ".join(reasons) or None
        publication = self.store.publish(text, actor, reason)
        self._audit("publish", loaded.identity, actor, before, publication.file, reason)
        if tests is not None and loaded.tests is not None:
            companion = self.store.publish(tests, actor, reason, companion_of=publication.number)
            self._audit("publish", loaded.tests, actor, None, companion.file, reason)
        self.reload()
        return publication, ValidationResult(loaded.identity, (), report, tested)

    def rollback(self, kind: str, file_id: str, actor: str, reason: str) -> Publication:
        """Retire the latest publication of a kind and id; what it replaced is back."""
        if not reason.strip():
            raise PublicationError("a rollback needs a reason")
        latest = self.store.latest(kind, file_id)
        if latest is None:
            raise PublicationError(f"no publication of {kind} {file_id} is in force")
        retiring = [latest, *self.store.companions(latest)]
        files = self.store.catalog_files(
            self.runtime.settings.catalog_paths, {p.number for p in retiring}
        )
        try:
            load_catalog(files, self.runtime.settings.edit_backend)
        except SourceFileError as exc:
            raise PublicationError(
                f"rolling back would leave the catalog unloadable: {exc.issues[0]}"
            ) from exc
        retired = self.store.retire(retiring)
        self.reload()
        for publication in retired:
            identity = FileIdentity(publication.kind, publication.id, publication.version)
            after = self._in_force(identity)
            self._audit("rollback", identity, actor, publication.file, after, reason)
        return next(p for p in retired if p.number == latest.number)

    def reload(self) -> Catalog:
        """Load the catalog in force and swap it in; claims in flight keep the old one.

        Loads may overlap (a watcher thread and a rollback in the same worker): each
        notes the publication generation before it reads the files, and a load never
        replaces the catalog of a later generation, so a slow load of what was in
        force before a rollback cannot bring the rolled-back version back.
        """
        generation = self.store.generation()
        catalog = load_settings_catalog(self.runtime.settings)
        with self._swap:
            if generation < self._installed:
                return self.runtime.catalog
            self._installed = generation
            self.runtime.catalog = catalog
            self.runtime.processor.publish(catalog)
        return catalog

    def _in_force(self, identity: FileIdentity) -> str | None:
        versions = [
            f"{identity.id}@{p.version}"
            for p in self.store.in_force()
            if (p.kind, p.id) == (identity.kind, identity.id)
        ]
        if identity.kind == "plan":
            versions += [r.id for r in self.runtime.processor.catalog.plan_versions(identity.id)]
        return ", ".join(sorted(set(versions))) or None

    def _audit(
        self,
        action: str,
        identity: FileIdentity,
        actor: str,
        before: str | None,
        after: str | None,
        reason: str | None,
    ) -> None:
        ledger = self.runtime.sql
        if ledger is None:
            return
        ledger.audit(
            action,
            f"{identity.kind} {identity.id}@{identity.version}",
            {"before": before, "after": after, "reason": reason},
            actor=actor,
        )


def _nowhere(message: str, where: str = "candidate") -> SourceIssue:
    return SourceIssue(SourceRef(where, 1, 1), message)


def _names_csv(text: str) -> bool:
    data = yaml.safe_load(text)
    return isinstance(data, dict) and data.get("csv") is not None
