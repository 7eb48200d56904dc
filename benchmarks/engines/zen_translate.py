"""rxadj conditions as one zen-engine decision table per phase, collect hit policy.

Each rule is a row whose single input cell is the whole condition (an input column
without a field makes zen evaluate the cell as a standalone expression) and whose
output is the rule id; the collect policy returns every matching row.

Semantics, and what the translation does about them:

- **None** is ``null``; ``and``/``or`` short-circuit; a row whose expression fails
  (ordering ``null``, say) does not match, silently — rxadj's guards make that the
  Python answer too, but a translation mistake would hide rather than fail.
- **Numbers** are exact decimals inside zen, but the Python binding refuses
  ``Decimal``; decimals are passed as floats, whose shortest form becomes the
  decimal (exact for NCPDP's three decimals). Money is integer cents.
- ``%`` in zen keeps the dividend's sign, so Python's floored ``%`` and ``//`` are
  written with ``floor()``.
- **Dates** are passed as day numbers (``date.toordinal()``): ``days_between`` is a
  subtraction and comparisons stay exact. **Sets** are lists; ``in`` is membership.
- ``starts_with`` is ``startsWith``; ``len``, ``abs``, ``min``/``max`` exist;
  ``years_between`` is not translated.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from typing import Any

import zen

from benchmarks.engines.text import TextTranslator
from engine.edits.backends import UntranslatableError, checked_condition
from engine.edits.compiled import CompiledRule
from engine.edits.facts import ROOTS
from engine.expressions.ir import Load
from engine.expressions.types import DATE, DECIMAL, CollectionType, strip_optional

__all__ = ["ZenPhase", "ZenTranslator", "decision_table"]


class ZenTranslator(TextTranslator):
    """zen spelling: dotted names, ``floor()``, ``len()``, ``startsWith()``."""

    def symbol(self, load: Load) -> str:
        """Nested objects are natural in zen: ``claim.days_supply``."""
        return load.dotted

    def floored(self, op: str, left: str, right: str) -> str:
        """``floor()`` of zen's exact quotient; ``%`` derived from it."""
        quotient = f"floor({left} / {right})"
        return quotient if op == "//" else f"({left} - {right} * {quotient})"

    def length(self, text: str) -> str:
        """The ``len()`` function."""
        return f"len({text})"

    def call(self, name: str, args: list[str]) -> str:
        """The functions rxadj's language offers, as zen writes them."""
        if name == "days_between":
            return f"({args[1]} - {args[0]})"
        if name == "starts_with":
            return f"startsWith({args[0]}, {args[1]})"
        if name in ("len", "abs"):
            return f"{name}({args[0]})"
        if name in ("min", "max"):
            return f"{name}([{', '.join(args)}])"
        raise UntranslatableError(f"zen translation has no {name}()")


def decision_table(name: str, rows: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """A JDM graph: input → decision table (collect) → output; rows are (rule id, condition)."""
    table = {
        "hitPolicy": "collect",
        "inputs": [{"id": "condition", "name": "condition"}],
        "outputs": [{"id": "rule", "name": "rule", "field": "rule"}],
        "rules": [
            {"_id": f"row{index}", "condition": condition, "rule": json.dumps(rule_id)}
            for index, (rule_id, condition) in enumerate(rows)
        ],
    }
    return {
        "nodes": [
            {"id": "in", "type": "inputNode", "name": "request", "position": {"x": 0, "y": 0}},
            {
                "id": "edits",
                "type": "decisionTableNode",
                "name": name,
                "position": {"x": 300, "y": 0},
                "content": table,
            },
            {"id": "out", "type": "outputNode", "name": "response", "position": {"x": 600, "y": 0}},
        ],
        "edges": [
            {"id": "e1", "sourceId": "in", "targetId": "edits", "type": "edge"},
            {"id": "e2", "sourceId": "edits", "targetId": "out", "type": "edge"},
        ],
    }


def _converter(load: Load) -> Callable[[Any], Any] | None:
    kind = strip_optional(load.type)
    if kind == DECIMAL:
        return float
    if kind == DATE:
        return dt.date.toordinal
    if isinstance(kind, CollectionType):
        return sorted
    return None


class ZenPhase:
    """One phase's rules as a zen decision table, evaluated once per claim."""

    def __init__(
        self, phase: str, rules: Sequence[CompiledRule], conditions: dict[str, str]
    ) -> None:
        translator = ZenTranslator()
        self.rows = [
            (rule.id, translator.render(checked_condition(conditions[rule.id], phase)))  # type: ignore[arg-type]
            for rule in rules
        ]
        self.content = decision_table(f"edits-{phase}", self.rows)
        self.decision = zen.ZenEngine().create_decision(json.dumps(self.content))
        roots = ROOTS[phase]  # type: ignore[index]
        self._fields = [
            (load.path[0], roots.index(load.path[0]), load.path[1], _converter(load))
            for load in translator.loads.values()
        ]
        self._roots = sorted({field[0] for field in self._fields})

    def context(self, roots: Sequence[object]) -> dict[str, dict[str, Any]]:
        """Nested objects holding only the values the rules read."""
        values: dict[str, dict[str, Any]] = {name: {} for name in self._roots}
        for name, root, attribute, convert in self._fields:
            value = getattr(roots[root], attribute)
            values[name][attribute] = value if convert is None or value is None else convert(value)
        return values

    def fired(self, roots: Sequence[object]) -> frozenset[str]:
        """Ids of the rows that match these roots."""
        result = self.decision.evaluate(self.context(roots))["result"]
        return frozenset(row["rule"] for row in result)
