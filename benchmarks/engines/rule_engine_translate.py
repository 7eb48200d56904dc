"""rxadj conditions as rule-engine (zeroSteiner/rule-engine 5.x) expressions, one Rule each.

Semantics, and what the translation does about them:

- **Context.** Facts are a flat mapping of symbols (``claim__days_supply``): with
  nested dicts (``claim.days_supply`` through mapping attribute lookup) rule-engine
  converts the whole nested mapping on every access — measured here 150-260 µs per
  rule against about 6 µs flat.
- **None** is ``null``; ``==``/``!=`` with ``null`` behave as in Python, ordering
  ``null`` raises an EvaluationError, and ``and``/``or`` short-circuit, so rxadj's
  guarded conditions translate unchanged.
- **Numbers** are ``Decimal`` (rule-engine's FLOAT), so decimal and money
  arithmetic is exact; money travels as integer cents.
- **Dates** are converted by rule-engine to timezone-aware datetimes in the
  context's default timezone; it is set to UTC here, because in a zone with
  daylight saving ``(b - a).days`` loses a day across the change.
- **Sets** must be ``set`` (a ``frozenset`` is refused), so facts are converted.
- ``days_between`` is ``(b - a).days``; ``starts_with``, ``len``, ``abs``, ``min``
  and ``max`` have equivalents; ``years_between``, ``//`` and ``%`` (truncated on
  ``Decimal``, floored in Python) are not translated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import rule_engine

from benchmarks.engines.text import TextTranslator
from engine.edits.backends import UntranslatableError, checked_condition
from engine.edits.compiled import CompiledRule
from engine.edits.facts import ROOTS
from engine.expressions.ir import Load
from engine.expressions.types import CollectionType, strip_optional

__all__ = ["RuleEnginePhase", "RuleEngineTranslator"]


class RuleEngineTranslator(TextTranslator):
    """rule-engine spelling: flat symbols, ``$``-functions, ``.length``.

    ``//`` and ``%`` stay refused: rule-engine computes them on ``Decimal``, which
    truncates toward zero where Python floors.
    """

    def symbol(self, load: Load) -> str:
        """``claim.days_supply`` as the flat symbol ``claim__days_supply``."""
        return "__".join(load.path)

    def string(self, text: str) -> str:
        """A single-quoted literal."""
        escaped = text.replace("\\", "\\\\").replace("'", "\\'")
        return f"'{escaped}'"

    def length(self, text: str) -> str:
        """The ``.length`` attribute."""
        return f"{text}.length"

    def call(self, name: str, args: list[str]) -> str:
        """The functions rxadj's language offers, as rule-engine writes them."""
        if name == "days_between":
            return f"(({args[1]} - {args[0]}).days)"
        if name == "starts_with":
            return f"{args[0]}.starts_with({args[1]})"
        if name == "len":
            return self.length(args[0])
        if name == "abs":
            return f"$abs({args[0]})"
        if name in ("min", "max"):
            return f"${name}([{', '.join(args)}])"
        raise UntranslatableError(f"rule-engine translation has no {name}()")


def _converter(load: Load) -> Callable[[Any], Any] | None:
    if isinstance(strip_optional(load.type), CollectionType):
        return set
    return None


class RuleEnginePhase:
    """One phase's rules as rule-engine Rules over one flat context per claim."""

    def __init__(
        self, phase: str, rules: Sequence[CompiledRule], conditions: dict[str, str]
    ) -> None:
        context = rule_engine.Context(default_timezone=dt.UTC)
        translator = RuleEngineTranslator()
        self.texts = {
            rule.id: translator.render(checked_condition(conditions[rule.id], phase))  # type: ignore[arg-type]
            for rule in rules
        }
        self.rules = [
            (rule_id, rule_engine.Rule(text, context=context))
            for rule_id, text in self.texts.items()
        ]
        roots = ROOTS[phase]  # type: ignore[index]
        self._fields = [
            (translator.symbol(load), roots.index(load.path[0]), load.path[1], _converter(load))
            for load in translator.loads.values()
        ]

    def context(self, roots: Sequence[object]) -> dict[str, Any]:
        """The flat symbol mapping for one claim."""
        values = {}
        for symbol, root, attribute, convert in self._fields:
            value = getattr(roots[root], attribute)
            values[symbol] = value if convert is None or value is None else convert(value)
        return values

    def fired(self, roots: Sequence[object]) -> frozenset[str]:
        """Ids of the rules that match these roots."""
        values = self.context(roots)
        return frozenset(rule_id for rule_id, rule in self.rules if rule.matches(values))
