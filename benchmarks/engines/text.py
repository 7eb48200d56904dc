"""Checked conditions rendered as the text of another expression language.

rule-engine and zen-engine both take conditions as text with ``and``/``or``/``not``,
comparisons and arithmetic much like rxadj's own, so one walker over the checked
tree (:mod:`engine.expressions.ir`) writes both; each subclass says how its
language spells names, literals, ``None``, collections and the few functions.

What the walker makes explicit, because the target languages differ from Python:
``not`` on a string, set or optional value is rxadj's "missing or empty", written
out as comparisons; ``%`` and ``//`` must keep Python's floored meaning or be refused.
"""

from __future__ import annotations

from decimal import Decimal

from engine.edits.backends import UntranslatableError
from engine.expressions.ir import Binary, BoolOp, Call, Compare, Const, IfExp, Load, Node, Unary
from engine.expressions.types import BOOL, DATE, CollectionType, OptionalType, strip_optional

__all__ = ["TextTranslator"]


class TextTranslator:
    """Renders a checked tree; subclasses fill in the spelling of their language."""

    null = "null"

    def __init__(self) -> None:
        self.loads: dict[str, Load] = {}

    def render(self, node: Node) -> str:
        """The condition as text of the target language."""
        match node:
            case Const(value=value):
                return self.constant(value)
            case Load():
                self.loads[node.dotted] = node
                return self.symbol(node)
            case Unary(op="not", operand=operand):
                return self.negation(operand)
            case Unary(operand=operand):
                return f"(-{self.render(operand)})"
            case Binary(op="%" | "//" as op, left=left, right=right):
                return self.floored(op, self.render(left), self.render(right))
            case Binary(op=op, left=left, right=right):
                return f"({self.render(left)} {op} {self.render(right)})"
            case Compare(op="is", left=left):
                return f"({self.render(left)} == {self.null})"
            case Compare(op="is not", left=left):
                return f"({self.render(left)} != {self.null})"
            case Compare(op="not in", left=left, right=right):
                return f"(not ({self.render(left)} in {self.render(right)}))"
            case Compare(op=op, left=left, right=right):
                return f"({self.render(left)} {op} {self.render(right)})"
            case BoolOp(op=op, values=values):
                return "(" + f" {op} ".join(self.render(v) for v in values) + ")"
            case Call(name=name, args=args):
                return self.call(name, [self.render(arg) for arg in args])
            case IfExp(test=test, body=body, orelse=orelse):
                return f"({self.render(test)} ? {self.render(body)} : {self.render(orelse)})"
        raise UntranslatableError(f"cannot render {type(node).__name__}")

    def negation(self, operand: Node) -> str:
        """``not x``: false for bools, empty or missing for strings, sets and optionals."""
        text = self.render(operand)
        kind = strip_optional(operand.type)
        if kind == BOOL and not isinstance(operand.type, OptionalType):
            return f"(not {text})"
        tests = [f"{text} == {self.null}"] if isinstance(operand.type, OptionalType) else []
        if kind == BOOL:
            tests.append(f"{text} == false")
        elif isinstance(kind, CollectionType):
            tests.append(f"{self.length(text)} == 0")
        elif kind != DATE:
            tests.append(f"{text} == {self.string('')}")
        return "(" + " or ".join(tests) + ")"

    def constant(self, value: object) -> str:
        """A literal of the target language."""
        if value is None:
            return self.null
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | Decimal):
            return str(value)
        if isinstance(value, str):
            return self.string(value)
        if isinstance(value, frozenset):
            return "[" + ", ".join(self.constant(v) for v in sorted(value, key=repr)) + "]"
        raise UntranslatableError(f"no literal for {value!r}")

    def symbol(self, load: Load) -> str:
        """How the language names a fact value."""
        raise NotImplementedError

    def string(self, text: str) -> str:
        """A string literal."""
        escaped = text.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{escaped}"'

    def floored(self, op: str, left: str, right: str) -> str:
        """Python's floored ``//`` or ``%`` (the remainder takes the divisor's sign)."""
        raise UntranslatableError(f"no floored '{op}'")

    def length(self, text: str) -> str:
        """The size of a set or string."""
        raise NotImplementedError

    def call(self, name: str, args: list[str]) -> str:
        """A whitelisted function of rxadj's language."""
        raise UntranslatableError(f"no equivalent of {name}()")
