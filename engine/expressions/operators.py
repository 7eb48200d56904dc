"""Type rules for operators: which operands fit, what they give, and money literals.

Money is the rule that matters most. Amounts are integer cents, plan files write
dollars, so a number the analyst wrote next to money is read as dollars and scaled
exactly at load time (``claim.gross_amount_due > 12.5`` compares with 1250 cents);
a fraction of a cent is refused rather than rounded. A count (``int``) or a ratio
(``decimal``) that is not a literal never meets money in a sum or comparison: the
mix is almost always a unit mistake. Money times a whole number stays money; money
divided by money is a ratio; any other product or quotient would need a rounding
rule, which belongs in engine code, not in a condition.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from engine.expressions.errors import ExpressionTypeError, ExpressionValueError
from engine.expressions.ir import Binary, Compare, Const, Load, Node
from engine.expressions.types import (
    BOOL,
    DATE,
    DECIMAL,
    INT,
    MONEY,
    NONE,
    NUMBERS,
    STR,
    CollectionType,
    OptionalType,
    Type,
    set_of,
    strip_optional,
)
from engine.money import MoneyError, parse_dollars

__all__ = [
    "apply_binary",
    "arithmetic",
    "coerce",
    "compare",
    "describe",
    "exact_divide",
    "membership",
    "not_none",
    "unify",
]

_ORDERING = frozenset({"<", "<=", ">", ">="})
_VERBS = {"+": "add", "-": "subtract", "*": "multiply", "/": "divide", "//": "divide", "%": "take"}


def describe(node: Node) -> str:
    """How an operand is named in messages: ``'claim.quantity' (decimal)``."""
    if isinstance(node, Load):
        return f"'{node.dotted}' ({node.type})"
    if isinstance(node, Const) and not isinstance(node.type, CollectionType):
        return (
            f"{node.value!r} ({node.type})" if node.type == STR else f"{node.value} ({node.type})"
        )
    return str(node.type)


def not_none(node: Node) -> None:
    """Refuse an operand that may be ``None`` where ``None`` would break the operation."""
    if isinstance(node.type, OptionalType):
        if isinstance(node, Load):
            message = (
                f"'{node.dotted}' may be None; write "
                f"'{node.dotted} is not None and ...' before using it here"
            )
        else:
            message = f"a value of type {node.type} may be None here"
        raise ExpressionTypeError(message, column=node.column)


def _is_literal(node: Node) -> bool:
    return isinstance(node, Const) and node.literal and node.type in NUMBERS


def _cents(value: object, column: int) -> int:
    try:
        return parse_dollars(value)
    except MoneyError:
        raise ExpressionValueError(
            f"money amount {value} has fractions of a cent", column=column
        ) from None


def _to_cents(node: Node) -> Node:
    """Read a literal as dollars and return it in cents; other nodes pass unchanged."""
    if not isinstance(node, Const) or not _is_literal(node):
        return node
    return Const(_cents(node.value, node.column), MONEY, node.column)


def _money_pair(left: Node, right: Node, problem: str, column: int) -> tuple[Node, Node]:
    left, right = _to_cents(left), _to_cents(right)
    if strip_optional(left.type) != MONEY or strip_optional(right.type) != MONEY:
        raise ExpressionTypeError(
            f"{problem} {describe(left)} and {describe(right)}: a number next to money must "
            "be written as a dollar literal, or be another money value",
            column=column,
        )
    return left, right


def exact_divide(left: Any, right: Any) -> Decimal:
    """Divide as ``Decimal`` so ``7 / 2`` is exactly 3.5 and never a float."""
    quotient: Decimal = Decimal(left) / right
    return quotient


_OPERATIONS: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": exact_divide,
    "//": operator.floordiv,
    "%": operator.mod,
}


def apply_binary(op: str, left: object, right: object, column: int) -> object:
    """Apply an operator as run time would, to fold constants at load time."""
    try:
        return _OPERATIONS[op](left, right)
    except ZeroDivisionError:
        message = f"cannot compute {left} {op} {right}: division by zero"
        raise ExpressionValueError(message, column=column) from None
    except ArithmeticError as exc:
        message = f"cannot compute {left} {op} {right}: {exc!r}"
        raise ExpressionValueError(message, column=column) from None


def arithmetic(op: str, left: Node, right: Node, column: int) -> Node:
    """Type ``left op right`` for ``+ - * / // %`` and fold it when both are constants."""
    for side in (left, right):
        not_none(side)
        if side.type not in NUMBERS and side.type != MONEY:
            raise ExpressionTypeError(
                f"'{op}' needs numbers or money, got {describe(side)}",
                column=side.column,
            )
    result = _arithmetic_type(op, left, right, column)
    if MONEY in (left.type, right.type) and op in "+-":
        left, right = _money_pair(left, right, f"cannot {_VERBS[op]}", column)
    if isinstance(left, Const) and isinstance(right, Const):
        value = apply_binary(op, left.value, right.value, column)
        return Const(value, result, column, literal=left.literal and right.literal)
    return Binary(op, left, right, result, column)


def _arithmetic_type(op: str, left: Node, right: Node, column: int) -> Type:
    kinds = (left.type, right.type)
    if MONEY in kinds:
        if op in "+-":
            return MONEY
        if op == "*" and kinds in ((MONEY, INT), (INT, MONEY)):
            return MONEY
        if op == "/" and kinds == (MONEY, MONEY):
            return DECIMAL
        raise ExpressionTypeError(
            f"cannot {_VERBS[op]} {describe(left)} and {describe(right)}: money can be added "
            "to money, multiplied by an int, or divided by money",
            column=column,
        )
    if op in ("//", "%") and kinds != (INT, INT):
        raise ExpressionTypeError(
            f"operator '{op}' needs int operands, got {kinds[0]} and {kinds[1]}", column=column
        )
    return DECIMAL if op == "/" or DECIMAL in kinds else INT


def compare(op: str, left: Node, right: Node, column: int) -> Node:
    """Type ``left op right`` for ``== != < <= > >=``."""
    if op in _ORDERING:
        not_none(left)
        not_none(right)
    kinds = (strip_optional(left.type), strip_optional(right.type))
    if NONE in kinds:
        raise ExpressionTypeError(
            f"use 'is None' or 'is not None' to test for None, not '{op}'", column=column
        )
    if MONEY in kinds:
        left, right = _money_pair(left, right, "cannot compare", column)
    elif not (set(kinds) <= NUMBERS or (kinds[0] == kinds[1] and kinds[0] in (STR, DATE, BOOL))):
        raise ExpressionTypeError(
            f"cannot compare {describe(left)} with {describe(right)}", column=column
        )
    elif op in _ORDERING and kinds[0] == BOOL:
        raise ExpressionTypeError(f"cannot order bool values with '{op}'", column=column)
    return Compare(op, left, right, column)


def membership(op: str, left: Node, right: Node, column: int) -> Node:
    """Type ``left in right``: right is a set, list or str, left fits its elements."""
    not_none(right)
    container = right.type
    if container == STR:
        not_none(left)
        if left.type != STR:
            raise ExpressionTypeError(f"cannot look for {describe(left)} in a str", column=column)
        return Compare(op, left, right, column)
    if not isinstance(container, CollectionType):
        raise ExpressionTypeError(
            f"'{op}' needs a set, list or str on the right, got {describe(right)}", column=column
        )
    element, wanted = container.element, strip_optional(left.type)
    if element == MONEY and _is_literal(left):
        left = _to_cents(left)
    elif wanted == MONEY and isinstance(right, Const) and right.literal:
        assert isinstance(right.value, frozenset)
        cents = frozenset(_cents(value, right.column) for value in right.value)
        right = Const(cents, set_of(MONEY), right.column)
    elif not (wanted == element or {wanted, element} <= NUMBERS):
        raise ExpressionTypeError(f"cannot look for {describe(left)} in {container}", column=column)
    return Compare(op, left, right, column)


def unify(nodes: Sequence[Node], what: str, column: int) -> tuple[list[Node], Type]:
    """Give ``nodes`` one common type, as ``min``/``max`` arguments or ``if`` branches do."""
    kinds = {node.type for node in nodes}
    if MONEY in kinds:
        converted = [_to_cents(node) for node in nodes]
        if all(node.type == MONEY for node in converted):
            return converted, MONEY
    elif kinds <= NUMBERS:
        return list(nodes), DECIMAL if DECIMAL in kinds else INT
    elif len(kinds) == 1:
        return list(nodes), kinds.pop()
    listed = " and ".join(describe(node) for node in nodes)
    raise ExpressionTypeError(f"{what} cannot mix {listed}", column=column)


def coerce(node: Node, expected: Type, what: str) -> Node:
    """Fit ``node`` where ``expected`` is required: a parameter or the expression's result."""
    if node.type == expected:
        return node
    if isinstance(expected, OptionalType):
        if node.type == NONE:
            return node
        expected = expected.inner
    elif isinstance(node.type, OptionalType) and node.type.inner == expected:
        not_none(node)
    if expected == MONEY and _is_literal(node):
        return _to_cents(node)
    if node.type == expected or (expected == DECIMAL and node.type == INT):
        return node
    wanted = "a condition (bool)" if expected == BOOL else str(expected)
    raise ExpressionTypeError(f"{what} must be {wanted}, got {describe(node)}", column=node.column)
