"""Which engine evaluates a plan version's edits: the compiled one, or an experimental other.

The compiled engine (:mod:`engine.edits.compiled`) is the default and the only one
meant for production. ``durable`` hands the same rules to durable_rules (the
optional ``rxadj[durable]`` extra, see :mod:`engine.edits.durable_backend`), for
comparison and for shops that must run it. Every backend receives rules that have
already passed rxadj's own type checks, and returns an object with the same
``evaluate(phase, *roots)`` contract, so the rest of the engine cannot tell them apart.

Translators to other engines start from the checked tree (:mod:`engine.expressions.ir`)
rather than the analyst's text: names are resolved, ``None`` guards are explicit
and money literals are already cents, so each translator only has to say how its
engine writes a typed operation, or refuse it precisely.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Literal, get_args

from engine.edits.facts import SCHEMAS
from engine.edits.model import EditRule, Phase
from engine.expressions.check import check
from engine.expressions.ir import Node
from engine.expressions.operators import coerce
from engine.expressions.parse import parse
from engine.expressions.types import BOOL
from engine.sourcefile import SourceIssue, SourceRef

if TYPE_CHECKING:
    from engine.edits.compiled import CompiledEdits

__all__ = [
    "EDIT_BACKENDS",
    "EditBackend",
    "UntranslatableError",
    "checked_condition",
    "with_backend",
]

EditBackend = Literal["compiled", "durable"]
EDIT_BACKENDS: tuple[EditBackend, ...] = get_args(EditBackend)
"""Backend names, as ``RXADJ_EDIT_BACKEND`` accepts them."""


class UntranslatableError(ValueError):
    """A checked condition uses something the target engine cannot express faithfully."""


def checked_condition(text: str, phase: Phase) -> Node:
    """The typed tree of a condition that ``compile_edits`` has already accepted."""
    node, _ = check(parse(text), text, SCHEMAS[phase])
    return coerce(node, BOOL, "the expression")


def with_backend(
    backend: EditBackend,
    edits: CompiledEdits,
    rules: Sequence[EditRule],
    locate: Callable[[str], SourceRef],
    plan_location: SourceRef,
) -> tuple[CompiledEdits | None, list[SourceIssue]]:
    """``edits`` evaluated by ``backend``; a rule it cannot take is an issue at its line."""
    if backend == "compiled":
        return edits, []
    try:
        from engine.edits.durable_backend import durable_edits  # noqa: PLC0415 (optional)
    except ImportError as exc:
        return None, [
            SourceIssue(
                plan_location,
                f"edit backend 'durable' needs durable_rules (pip install 'rxadj[durable]'): {exc}",
            )
        ]
    conditions: Mapping[str, str] = {rule.id: rule.when for rule in rules}
    return durable_edits(edits, conditions, locate, plan_location)
