"""A compiled expression: a plain Python callable plus what it was compiled from.

Evaluation is one call of ``fn`` with the root objects: attribute loads and
operators run as ordinary Python bytecode, with nothing interpreted per node.
Hot loops may call ``fn`` directly; calling the :class:`CompiledExpression` itself
adds only a guard that turns arithmetic failures on a claim (a zero divisor in the
data) into :class:`ExpressionEvaluationError` naming the rule's file and line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from engine.expressions.errors import ExpressionEvaluationError
from engine.expressions.types import Type
from engine.sourcefile import SourceRef

__all__ = ["CompiledExpression"]


@dataclass(frozen=True, slots=True)
class CompiledExpression:
    """A checked, compiled expression; call it with the schema's roots in order.

    ``names`` lists the dotted names the expression reads, so the engine can tell
    which fields a rule depends on (for dry runs and for loading only what is used).
    """

    text: str
    fn: Callable[..., Any]
    result_type: Type
    names: frozenset[str]
    source: SourceRef | None = None

    def __call__(self, *roots: object) -> Any:
        """Evaluate on one claim's roots; arithmetic failures name the rule's source."""
        try:
            return self.fn(*roots)
        except ArithmeticError as exc:
            reason = "division by zero" if isinstance(exc, ZeroDivisionError) else repr(exc)
            raise ExpressionEvaluationError(
                f"cannot evaluate '{self.text}': {reason}", source=self.source
            ) from exc
