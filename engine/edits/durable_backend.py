"""durable_rules as an experimental backend for edit evaluation (``RXADJ_EDIT_BACKEND=durable``).

It exists so that the product card's engine can be run, and checked, on the real
rules: ``tests/unit/edits/test_engine_differential.py`` proves it returns exactly
the compiled engine's rejects on every generated claim. It is not for production:

- **Cost.** One JSON fact per claim and phase, parsed by durable_rules, matched,
  and read back one action at a time: measured here about 40 µs per claim (three
  phases) at 10 rules, 120 µs at 100 and 450 µs at 1,000 — 4 to 10 times the
  compiled engine (``benchmarks/engines``).
- **Sessions.** One ruleset and one session (``sid``) per plan version and phase;
  each claim is a fact with a fresh id, retracted once its matches are read, so
  memory stays flat (tested). A fresh session per claim fails with MemoryError
  after 1,024 sessions; deleting the session's state after each claim also stays
  flat but costs about three retracts (no crash seen here in 100,000 claims through
  the C API). Facts, not events: an event is consumed by the first rule it matches.
  A lock serialises claims: the C engine is not re-entrant.
- **Limits.** A node with more than 512 distinct successors makes durable_rules
  spin forever while compiling (513 rules ``claim.quantity > k`` with distinct k
  are enough), so rules are spread under bucket properties
  (:data:`BUCKET_BRANCHES` alternatives per bucket) and a single ``or``/``in`` of
  more than 512 alternatives is refused. A fact for which more than 64 partial
  matches are pending at once while it walks the network is refused with error 303
  (ERR_MAX_STACK_SIZE), raised here as :class:`DurableBackendError`: a fact
  matching 64 independent rules passes and 65 fail, and at 1,000 generated rules
  claims matching 41 and 50 rules failed. A fact may carry about 250 properties
  (error 302), and rulesets of thousands of rules fail with error 106.
- **Semantics.** What translates, and how, is in :mod:`engine.edits.backends_durable`;
  a rule that cannot be translated exactly is refused when the files load.
"""

from __future__ import annotations

import itertools
import json
import operator
import threading
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import durable_rules_engine  # type: ignore[import-not-found]

from engine.adjudication.decision import Reject
from engine.edits.backends import UntranslatableError, checked_condition
from engine.edits.backends_durable import (
    MAX_ALTERNATIVES,
    ZERO,
    DurableField,
    DurableTranslator,
    branches,
)
from engine.edits.compiled import CompiledEdits
from engine.edits.facts import ROOTS
from engine.edits.model import Phase
from engine.sourcefile import SourceIssue, SourceRef

__all__ = [
    "BUCKET_BRANCHES",
    "MAX_PENDING",
    "DurableBackendError",
    "DurableEdits",
    "DurablePhase",
    "durable_edits",
]

BUCKET_BRANCHES = MAX_ALTERNATIVES // 2
"""Rule alternatives per bucket property: half of the successors durable_rules survives."""
MAX_PENDING = 64
"""Partial matches pending at once beyond which durable_rules answers error 303."""
_SID = "0"
_names = itertools.count(1)


class DurableBackendError(RuntimeError):
    """durable_rules refused a claim (an error code of its C engine, named here)."""


class DurablePhase:
    """One phase's ruleset in durable_rules, with the single session all claims go through."""

    def __init__(
        self,
        label: str,
        conditions: Sequence[Any],
        fields: Sequence[DurableField],
        bucket_branches: int = BUCKET_BRANCHES,
    ) -> None:
        buckets: list[list[int]] = [[]]
        load = 0
        for index, condition in enumerate(conditions):
            weight = branches(condition)
            if buckets[-1] and load + weight > bucket_branches:
                buckets.append([])
                load = 0
            buckets[-1].append(index)
            load += weight
        self.buckets = {f"{ZERO}.b{number}": 0 for number in range(len(buckets))}
        definition = {
            f"r{index}": {"all": [{"m": {"$and": [{"$eq": {bucket: 0}}, conditions[index]]}}]}
            for bucket, members in zip(self.buckets, buckets, strict=True)
            for index in members
        }
        self.definition = definition
        self._fields = [
            (f.name, operator.attrgetter(f.attribute), f.root, f.encode) for f in fields
        ]
        self._handle = durable_rules_engine.create_ruleset(
            f"rxadj-{label}-{next(_names)}", json.dumps(definition)
        )
        self._finalizer = weakref.finalize(self, durable_rules_engine.delete_ruleset, self._handle)
        self._lock = threading.Lock()
        self._ids = itertools.count(1)

    def fact(self, roots: Sequence[object], fact_id: int) -> str:
        """The JSON fact for one claim: the properties the rules read, absent when None."""
        values: dict[str, Any] = {"sid": _SID, "id": fact_id, ZERO: 0, **self.buckets}
        for name, read, root, encode in self._fields:
            value = read(roots[root])
            if value is not None:
                values[name] = value if encode is None else encode(value)
        return json.dumps(values)

    def fired(self, roots: Sequence[object]) -> set[int]:
        """Indexes of the rules whose conditions hold for these roots."""
        with self._lock:
            fact = self.fact(roots, next(self._ids))
            try:
                _, state = durable_rules_engine.assert_fact(self._handle, fact)
            except durable_rules_engine.error as exc:
                raise DurableBackendError(_explain(str(exc))) from exc
            fired: set[int] = set()
            try:
                result = durable_rules_engine.start_action_for_state(self._handle, state)
                message = result[1] if result else None
                while message:
                    fired.add(int(message[3 : message.index('"', 3)]))
                    message = durable_rules_engine.complete_and_start_action(self._handle, state)
            finally:
                durable_rules_engine.retract_fact(self._handle, fact)
            return fired

    def pending_facts(self) -> int:
        """Facts left in the session: zero between claims, or memory would grow."""
        return len(json.loads(durable_rules_engine.get_facts(self._handle, _SID)))

    def close(self) -> None:
        """Free the ruleset in the C engine now rather than when collected."""
        self._finalizer()


@dataclass(frozen=True, slots=True)
class DurableEdits(CompiledEdits):
    """The compiled edits' rules and metadata, evaluated by durable_rules."""

    durable: Mapping[str, DurablePhase]

    def evaluate(self, phase: Phase, *roots: object) -> list[Reject]:
        """Every reject durable_rules raises for these facts, in priority order."""
        session = self.durable.get(phase)
        if session is None:
            return []
        fired = session.fired(roots)
        rules = self.phases[phase]
        return [
            Reject(rule.reject, rule.message, rule.id)
            for index, rule in enumerate(rules)
            if index in fired
        ]


def _explain(message: str) -> str:
    codes = {
        "303": f"error 303 ERR_MAX_STACK_SIZE: over {MAX_PENDING} partial matches at once",
        "302": "error 302 ERR_EVENT_MAX_PROPERTIES: too many fact properties",
        "106": "error 106 ERR_RULE_LIMIT_EXCEEDED: too many rules",
    }
    code = message.rsplit(" ", 1)[-1]
    return f"durable_rules: {codes.get(code, message)}"


def durable_edits(
    edits: CompiledEdits,
    conditions: Mapping[str, str],
    locate: Callable[[str], SourceRef],
    plan_location: SourceRef,
    bucket_branches: int = BUCKET_BRANCHES,
) -> tuple[DurableEdits | None, list[SourceIssue]]:
    """``edits`` translated to durable_rules; every rule it cannot take is an issue.

    ``bucket_branches`` exists to show what happens without buckets (benchmarks).
    """
    issues: list[SourceIssue] = []
    translated: dict[str, tuple[list[Any], DurableTranslator]] = {}
    for phase, rules in edits.phases.items():
        translator = DurableTranslator(ROOTS[phase])
        translated[phase] = ([], translator)
        for rule in rules:
            try:
                node = checked_condition(conditions[rule.id], phase)  # type: ignore[arg-type]
                translated[phase][0].append(translator.translate(node))
            except UntranslatableError as exc:
                issues.append(
                    SourceIssue(locate(rule.id), f"rule {rule.id}: durable backend: {exc}")
                )
    if issues:
        return None, issues
    sessions: dict[str, DurablePhase] = {}
    for phase, (phase_conditions, translator) in translated.items():
        if not phase_conditions:
            continue
        try:
            sessions[phase] = DurablePhase(
                f"{edits.id}-{phase}",
                phase_conditions,
                sorted(translator.fields.values(), key=_by_name),
                bucket_branches,
            )
        except durable_rules_engine.error as exc:
            return None, [SourceIssue(plan_location, _explain(str(exc)))]
    return (
        DurableEdits(edits.name, edits.version, edits.required, edits.phases, sessions),
        [],
    )


def _by_name(field: DurableField) -> str:
    return field.name
