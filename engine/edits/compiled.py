"""Edit sets compiled for one plan version: rules as bound callables, ready per claim.

Compilation happens once, when files load: the plan's overrides and additions are
merged into the set it includes, each condition is checked against its phase's
schema and compiled, and the rules are sorted by priority. Per claim, evaluating
a phase is one call per rule.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from engine.adjudication.decision import Reject
from engine.claim import ClaimRequest
from engine.edits.backends import EditBackend, with_backend
from engine.edits.facts import SCHEMAS
from engine.edits.model import PHASES, EditRule, EditSetFile, Phase
from engine.expressions import ExpressionError, compile_expression
from engine.ncpdp.rejects import RejectCode
from engine.plans.plan import EditSetRef
from engine.sourcefile import SourceIssue, SourceRef

__all__ = ["CORE_REQUIRED", "CompiledEdits", "CompiledRule", "compile_edits"]

CORE_REQUIRED: Mapping[str, frozenset[str]] = {
    "billing": frozenset(
        {
            "cardholder_id",
            "person_code",
            "ndc",
            "quantity",
            "days_supply",
            "rx_number",
            "fill_number",
        }
    ),
    "reversal": frozenset({"rx_number", "fill_number"}),
    "eligibility": frozenset({"cardholder_id", "person_code"}),
}
"""Fields the engine cannot work without; an edit set must require at least these."""

_CLAIM_FIELDS = frozenset(ClaimRequest.__dataclass_fields__)


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """One rule, its condition compiled to a callable over its phase's roots."""

    id: str
    phase: Phase
    reject: RejectCode
    message: str
    priority: int
    condition: Callable[..., bool]
    source: str


@dataclass(frozen=True, slots=True)
class CompiledEdits:
    """The rules a plan version runs, by phase, and the fields each transaction requires."""

    name: str
    version: str
    required: Mapping[str, Mapping[str, RejectCode]]
    phases: Mapping[str, tuple[CompiledRule, ...]]

    @property
    def id(self) -> str:
        """``name@version``, as decisions record it."""
        return f"{self.name}@{self.version}"

    def evaluate(self, phase: Phase, *roots: object) -> list[Reject]:
        """Every reject the phase's rules raise for these facts, in priority order."""
        return [
            Reject(rule.reject, rule.message, rule.id)
            for rule in self.phases[phase]
            if rule.condition(*roots)
        ]

    def missing(self, kind: str, claim: ClaimRequest) -> list[Reject]:
        """Rejects for required fields the claim lacks (None or empty)."""
        required = self.required.get(kind)
        if not required:
            return []
        values = _getter(tuple(required))(claim)
        if len(required) == 1:
            values = (values,)
        if None not in values and "" not in values:
            return []
        return [
            Reject(code, f"{name.replace('_', ' ')} is missing", "required")
            for (name, code), value in zip(required.items(), values, strict=True)
            if value is None or value == ""
        ]


@functools.cache
def _getter(names: tuple[str, ...]) -> Callable[[ClaimRequest], Any]:
    """One attrgetter per list of required fields: a single C call reads them all."""
    return operator.attrgetter(*names)


class _MergeError(ValueError):
    """A plan's changes name rules its edit set does not have, or add one it has."""


def _merge(edit_set: EditSetFile, ref: EditSetRef) -> list[EditRule]:
    rules = {rule.id: rule for rule in edit_set.rules}
    problems = sorted(name for name in (*ref.disable, *ref.override) if name not in rules)
    if problems:
        raise _MergeError(f"edit set {edit_set.edit_set} has no rule(s) {', '.join(problems)}")
    for rule_id, change in ref.override.items():
        updates = {k: v for k, v in change.model_dump().items() if v is not None}
        rules[rule_id] = rules[rule_id].model_copy(update=updates)
    for rule in ref.add:
        if rule.id in rules:
            raise _MergeError(f"added rule {rule.id!r} already exists in the edit set")
        rules[rule.id] = rule
    return [rule for rule_id, rule in rules.items() if rule_id not in ref.disable]


def compile_edits(
    edit_set: EditSetFile,
    ref: EditSetRef,
    locate: Callable[[str], SourceRef],
    plan_location: SourceRef,
    backend: EditBackend = "compiled",
) -> tuple[CompiledEdits | None, list[SourceIssue]]:
    """Compile the set a plan includes, with its changes; report every problem at once.

    ``locate(rule_id)`` gives where a rule's condition was written (the edit-set
    file, or the plan file for overrides and additions). ``backend`` chooses what
    evaluates the checked rules (:mod:`engine.edits.backends`).
    """
    issues: list[SourceIssue] = []
    try:
        rules = _merge(edit_set, ref)
    except _MergeError as exc:
        return None, [SourceIssue(plan_location, str(exc))]
    required: dict[str, dict[str, RejectCode]] = {}
    for kind, fields in edit_set.required_fields.model_dump().items():
        unknown = sorted(set(fields) - _CLAIM_FIELDS)
        lacking = sorted(CORE_REQUIRED.get(kind, frozenset()) - set(fields))
        if unknown:
            issues.append(SourceIssue(plan_location, f"required_fields.{kind}: unknown {unknown}"))
        if lacking:
            issues.append(
                SourceIssue(plan_location, f"required_fields.{kind} must include {lacking}")
            )
        required[kind] = {name: RejectCode(code) for name, code in fields.items()}
    compiled: dict[str, list[CompiledRule]] = {phase: [] for phase in PHASES}
    for rule in rules:
        where = locate(rule.id)
        try:
            expression = compile_expression(rule.when, SCHEMAS[rule.phase], source=where)
        except ExpressionError as exc:
            issues.append(SourceIssue(where, f"rule {rule.id}: {exc.message}"))
            continue
        compiled[rule.phase].append(
            CompiledRule(
                id=rule.id,
                phase=rule.phase,
                reject=RejectCode(rule.reject),
                message=rule.message,
                priority=rule.priority,
                condition=expression.fn,
                source=str(where),
            )
        )
    if issues:
        return None, issues
    phases = {
        phase: tuple(sorted(rules_, key=lambda r: (r.priority, r.id)))
        for phase, rules_ in compiled.items()
    }
    edits = CompiledEdits(edit_set.edit_set, edit_set.version, required, phases)
    return with_backend(backend, edits, rules, locate, plan_location)
