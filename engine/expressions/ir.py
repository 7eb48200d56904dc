"""The checked tree: every node typed, every literal already in its final unit.

The checker turns Python's ``ast`` into these nodes and the compiler turns them
back into a Python ``ast`` to compile; in between nothing can be unchecked, and
money literals have already been scaled to cents.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from engine.expressions.types import BOOL, Type

__all__ = ["Binary", "BoolOp", "Call", "Compare", "Const", "IfExp", "Load", "Node", "Unary"]


@dataclass(frozen=True, slots=True)
class Const:
    """A value known when the file loads.

    ``literal`` marks a number the analyst wrote (or one folded from such
    numbers): its unit is decided by what it meets, dollars next to money.
    """

    value: object
    type: Type
    column: int
    literal: bool = False


@dataclass(frozen=True, slots=True)
class Load:
    """An attribute chain from a root, such as ``("member", "coverage", "end_date")``."""

    path: tuple[str, ...]
    type: Type
    column: int

    @property
    def dotted(self) -> str:
        """The chain as written: ``member.coverage.end_date``."""
        return ".".join(self.path)


@dataclass(frozen=True, slots=True)
class Unary:
    """``-x`` or ``not x``."""

    op: str
    operand: Node
    type: Type
    column: int


@dataclass(frozen=True, slots=True)
class Binary:
    """Arithmetic; ``/`` always divides exactly as ``Decimal``."""

    op: str
    left: Node
    right: Node
    type: Type
    column: int


@dataclass(frozen=True, slots=True)
class Compare:
    """One comparison; chained comparisons become an ``and`` of these."""

    op: str
    left: Node
    right: Node
    column: int
    type: Type = BOOL


@dataclass(frozen=True, slots=True)
class BoolOp:
    """``and`` / ``or`` over conditions."""

    op: str
    values: tuple[Node, ...]
    column: int
    type: Type = BOOL


@dataclass(frozen=True, slots=True)
class Call:
    """A call of a whitelisted function, bound by value at compile time."""

    name: str
    impl: Callable[..., object]
    args: tuple[Node, ...]
    type: Type
    column: int


@dataclass(frozen=True, slots=True)
class IfExp:
    """``body if test else orelse``."""

    test: Node
    body: Node
    orelse: Node
    type: Type
    column: int


Node = Const | Load | Unary | Binary | Compare | BoolOp | Call | IfExp
