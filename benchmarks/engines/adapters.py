"""rxadj and the anchor engines behind one interface: rule set in, fired rule ids out.

Every adapter starts from the same :class:`EditSetFile` and compiles it with rxadj
first (so every engine sees conditions that passed rxadj's type checks), then
translates the checked conditions into its own form. ``fired(phase, roots)``
returns the ids of the rules that hold for one claim's roots in one phase; an
engine's reject codes follow from those ids.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

from benchmarks.engines.rulesets import compile_rule_set
from engine.edits.compiled import CompiledEdits
from engine.edits.model import PHASES, EditSetFile

__all__ = ["ENGINES", "Evaluator", "build"]


class Evaluator(Protocol):
    """One rule set, ready to evaluate claims."""

    def fired(self, phase: str, roots: tuple[object, ...]) -> frozenset[str]:
        """Ids of the rules of ``phase`` whose conditions hold for ``roots``."""
        ...


class _Edits:
    """rxadj's compiled engine, or its durable backend: both are ``CompiledEdits``."""

    def __init__(self, edits: CompiledEdits) -> None:
        self.edits = edits

    def fired(self, phase: str, roots: tuple[object, ...]) -> frozenset[str]:
        return frozenset(str(r.rule) for r in self.edits.evaluate(phase, *roots))  # type: ignore[arg-type]


class _PhaseSet:
    """An engine built per phase (rule-engine, zen): dispatches to the phase's part."""

    def __init__(self, parts: Mapping[str, object]) -> None:
        self.parts = parts

    def fired(self, phase: str, roots: tuple[object, ...]) -> frozenset[str]:
        part = self.parts.get(phase)
        return frozenset() if part is None else part.fired(roots)  # type: ignore[attr-defined]


def _rxadj(edit_set: EditSetFile) -> Evaluator:
    return _Edits(compile_rule_set(edit_set))


def _durable(edit_set: EditSetFile) -> Evaluator:
    return _Edits(compile_rule_set(edit_set, "durable"))


def _per_phase(kind: Callable[..., object]) -> Callable[[EditSetFile], Evaluator]:
    def build_phases(edit_set: EditSetFile) -> Evaluator:
        edits = compile_rule_set(edit_set)
        conditions = {rule.id: rule.when for rule in edit_set.rules}
        return _PhaseSet(
            {
                phase: kind(phase, edits.phases[phase], conditions)
                for phase in PHASES
                if edits.phases[phase]
            }
        )

    return build_phases


def _rule_engine(edit_set: EditSetFile) -> Evaluator:
    from benchmarks.engines.rule_engine_translate import RuleEnginePhase

    return _per_phase(RuleEnginePhase)(edit_set)


def _zen(edit_set: EditSetFile) -> Evaluator:
    from benchmarks.engines.zen_translate import ZenPhase

    return _per_phase(ZenPhase)(edit_set)


ENGINES: dict[str, Callable[[EditSetFile], Evaluator]] = {
    "rxadj": _rxadj,
    "durable_rules": _durable,
    "rule-engine": _rule_engine,
    "zen-engine": _zen,
}
"""Engine name → builder; rxadj first, the reference every other engine is checked against."""


def build(engine: str, edit_set: EditSetFile) -> Evaluator:
    """Build ``engine`` over ``edit_set``."""
    return ENGINES[engine](edit_set)
