"""Resolve names against the schema and type every node, once, at load time.

The result is the typed tree of :mod:`engine.expressions.ir`. Optional values get
one extra rule: they can be ordered, computed with, passed to functions or looked
into only where an enclosing ``x is not None and ...`` (or the other branch of
``x is None or ...``, or of an ``if``) has ruled ``None`` out. The narrowing is
sound because attribute loads have no side effects: the value tested is the value used.
"""

from __future__ import annotations

import ast
from dataclasses import replace
from decimal import Decimal

from engine.expressions import operators
from engine.expressions.calls import check_call
from engine.expressions.errors import ExpressionSyntaxError, ExpressionTypeError, UnknownNameError
from engine.expressions.ir import BoolOp, Compare, Const, IfExp, Load, Node, Unary
from engine.expressions.narrowing import dotted, not_none_when
from engine.expressions.parse import column_of
from engine.expressions.schema import Schema
from engine.expressions.suggestions import did_you_mean, suggest
from engine.expressions.types import (
    BOOL,
    DECIMAL,
    INT,
    MONEY,
    NONE,
    NUMBERS,
    STR,
    CollectionType,
    ObjectType,
    OptionalType,
    Type,
    optional,
    set_of,
    strip_optional,
)

__all__ = ["check"]

_BINARY = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
}
_COMPARE = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.In: "in",
    ast.NotIn: "not in",
    ast.Is: "is",
    ast.IsNot: "is not",
}
_Narrowed = frozenset[str]


def check(tree: ast.Expression, text: str, schema: Schema) -> tuple[Node, frozenset[str]]:
    """Type ``tree`` against ``schema``; return the typed tree and the dotted names used."""
    checker = _Checker(text, schema)
    return checker.visit(tree.body, frozenset()), frozenset(checker.names)


class _Checker:
    def __init__(self, text: str, schema: Schema) -> None:
        self.text = text
        self.schema = schema
        self.names: set[str] = set()

    def column(self, node: ast.expr) -> int:
        return column_of(self.text, node)

    def visit(self, node: ast.expr, narrowed: _Narrowed) -> Node:
        column = self.column(node)
        match node:
            case ast.Constant(value=value):
                return self.constant(node, value, column)
            case ast.Name() | ast.Attribute():
                return self.load(node, narrowed)
            case ast.UnaryOp(op=ast.Not(), operand=operand):
                return self.negation(self.visit(operand, narrowed), column)
            case ast.UnaryOp(operand=operand):
                return self.minus(self.visit(operand, narrowed), column)
            case ast.BinOp(left=left, op=op, right=right):
                pair = self.visit(left, narrowed), self.visit(right, narrowed)
                return operators.arithmetic(_BINARY[type(op)], *pair, column)
            case ast.BoolOp():
                return self.boolean(node, narrowed, column)
            case ast.Compare():
                return self.comparison(node, narrowed, column)
            case ast.Call(func=ast.Name(id=name), args=args):
                visited = [self.visit(arg, narrowed) for arg in args]
                return check_call(self.schema, name, visited, column)
            case ast.IfExp():
                return self.conditional(node, narrowed, column)
            case ast.Tuple() | ast.List() | ast.Set():
                raise ExpressionTypeError(
                    "a collection literal is allowed only after 'in' or 'not in'", column=column
                )
        raise ExpressionSyntaxError(f"{type(node).__name__} is not allowed", column=column)

    def constant(self, node: ast.expr, value: object, column: int) -> Const:
        if isinstance(value, bool):
            return Const(value, BOOL, column)
        if isinstance(value, int):
            return Const(value, INT, column, literal=True)
        if isinstance(value, float):
            written = ast.get_source_segment(self.text.lstrip(), node) or repr(value)
            return Const(Decimal(written), DECIMAL, column, literal=True)
        if isinstance(value, str):
            return Const(value, STR, column)
        return Const(None, NONE, column)

    def load(self, node: ast.Name | ast.Attribute, narrowed: _Narrowed) -> Load:
        chain: list[ast.Name | ast.Attribute] = [node]
        while isinstance(chain[-1], ast.Attribute):
            chain.append(chain[-1].value)  # type: ignore[arg-type]
        chain.reverse()
        root = chain[0]
        assert isinstance(root, ast.Name)
        kind: Type = self.root(root)
        path: list[str] = [root.id]
        for step in chain[1:]:
            assert isinstance(step, ast.Attribute)
            kind = self.narrow(kind, path, narrowed, step)
            if not isinstance(kind, ObjectType):
                raise ExpressionTypeError(
                    f"'{'.'.join(path)}' is {kind} and has no attributes", column=self.column(step)
                )
            if step.attr not in kind.attributes:
                prefix = ".".join(path)
                guess = suggest(step.attr, kind.attributes)
                raise UnknownNameError(
                    f"unknown name '{prefix}.{step.attr}'"
                    + did_you_mean(guess and f"{prefix}.{guess}"),
                    name=f"{prefix}.{step.attr}",
                    suggestion=guess and f"{prefix}.{guess}",
                    column=self.column(step),
                )
            kind = kind.attributes[step.attr]
            path.append(step.attr)
        name = ".".join(path)
        self.names.add(name)
        if isinstance(kind, OptionalType) and name in narrowed:
            kind = kind.inner
        return Load(tuple(path), kind, self.column(chain[0]))

    def root(self, node: ast.Name) -> ObjectType:
        found = self.schema.roots.get(node.id)
        if found is not None:
            return found
        if node.id in self.schema.function_names():
            raise ExpressionTypeError(
                f"'{node.id}' is a function; call it like {node.id}(...)", column=self.column(node)
            )
        guess = suggest(node.id, self.schema.roots)
        raise UnknownNameError(
            f"unknown name '{node.id}'" + did_you_mean(guess),
            name=node.id,
            suggestion=guess,
            column=self.column(node),
        )

    def narrow(self, kind: Type, path: list[str], narrowed: _Narrowed, at: ast.expr) -> Type:
        if not isinstance(kind, OptionalType):
            return kind
        name = ".".join(path)
        if name in narrowed:
            self.names.add(name)
            return kind.inner
        operators.not_none(Load(tuple(path), kind, self.column(at)))
        return kind

    def negation(self, operand: Node, column: int) -> Node:
        if not _testable(operand.type):
            if isinstance(operand.type, OptionalType):
                hint = "; write 'x is None'"
            elif operand.type in NUMBERS or operand.type == MONEY:
                hint = "; compare it explicitly, like 'x == 0'"
            else:
                hint = ""
            raise ExpressionTypeError(
                f"'not' needs a condition, got {operators.describe(operand)}{hint}", column=column
            )
        if isinstance(operand, Const):
            return Const(not operand.value, BOOL, column)
        return Unary("not", operand, BOOL, column)

    def minus(self, operand: Node, column: int) -> Node:
        operators.not_none(operand)
        if operand.type not in NUMBERS and operand.type != MONEY:
            raise ExpressionTypeError(
                f"unary '-' needs a number or money, got {operators.describe(operand)}",
                column=column,
            )
        if isinstance(operand, Const):
            return Const(-operand.value, operand.type, column, literal=operand.literal)  # type: ignore[operator]
        return Unary("-", operand, operand.type, column)

    def condition(self, node: ast.expr, narrowed: _Narrowed, role: str) -> Node:
        value = self.visit(node, narrowed)
        if value.type != BOOL:
            hint = (
                " (write 'x is not None' or 'not x')"
                if isinstance(value.type, OptionalType)
                else ""
            )
            raise ExpressionTypeError(
                f"{role} must be a condition (bool), got {operators.describe(value)}{hint}",
                column=value.column,
            )
        return value

    def boolean(self, node: ast.BoolOp, narrowed: _Narrowed, column: int) -> Node:
        is_and = isinstance(node.op, ast.And)
        op = "and" if is_and else "or"
        values: list[Node] = []
        for operand in node.values:
            values.append(self.condition(operand, narrowed, f"operand of '{op}'"))
            narrowed |= not_none_when(operand, when=is_and)
        if all(isinstance(value, Const) for value in values):
            results = [value.value for value in values]  # type: ignore[union-attr]
            return Const(all(results) if is_and else any(results), BOOL, column)
        return BoolOp(op, tuple(values), column)

    def comparison(self, node: ast.Compare, narrowed: _Narrowed, column: int) -> Node:
        ops = [_COMPARE[type(op)] for op in node.ops]
        if len(ops) > 1 and ({"is", "is not"} & set(ops)):
            raise ExpressionSyntaxError("'is None' cannot be chained", column=column)
        if ops[0] in ("is", "is not"):
            return self.is_none(node, ops[0], narrowed, column)
        operands = [self.visit(node.left, narrowed)]
        for index, (op, right) in enumerate(zip(ops, node.comparators, strict=True)):
            last = index == len(ops) - 1
            if (
                last
                and op in ("in", "not in")
                and isinstance(right, ast.Tuple | ast.List | ast.Set)
            ):
                operands.append(self.collection(right))
            else:
                operands.append(self.visit(right, narrowed))
        pairs = [
            operators.membership(op, left, right, column)
            if op in ("in", "not in")
            else operators.compare(op, left, right, column)
            for op, left, right in zip(ops, operands, operands[1:], strict=False)
        ]
        return pairs[0] if len(pairs) == 1 else BoolOp("and", tuple(pairs), column)

    def is_none(self, node: ast.Compare, op: str, narrowed: _Narrowed, column: int) -> Node:
        right = node.comparators[0]
        if not (isinstance(right, ast.Constant) and right.value is None):
            raise ExpressionSyntaxError(
                f"'{op}' is allowed only as '{op} None'", column=self.column(right)
            )
        left = self.visit(node.left, narrowed - {dotted(node.left) or ""})
        if not isinstance(left.type, OptionalType):
            raise ExpressionTypeError(
                f"{operators.describe(left)} is never None; '{op} None' is always {op == 'is not'}",
                column=column,
            )
        return Compare(op, left, Const(None, NONE, column), column)

    def collection(self, node: ast.Tuple | ast.List | ast.Set) -> Const:
        column = self.column(node)
        items = [self.visit(item, frozenset()) for item in node.elts]
        if not items:
            raise ExpressionTypeError("an empty collection literal is never useful", column=column)
        listed, element = operators.unify(items, "a collection literal", column)
        if element == NONE:
            raise ExpressionTypeError("use 'is None' to test for None", column=column)
        values = frozenset(item.value for item in listed)  # type: ignore[union-attr]
        literal = all(isinstance(item, Const) and item.literal for item in listed)
        return Const(values, set_of(element), column, literal=literal)

    def conditional(self, node: ast.IfExp, narrowed: _Narrowed, column: int) -> Node:
        test = self.condition(node.test, narrowed, "the test of 'if'")
        body = self.visit(node.body, narrowed | not_none_when(node.test, when=True))
        orelse = self.visit(node.orelse, narrowed | not_none_when(node.test, when=False))
        branches = [branch for branch in (body, orelse) if branch.type != NONE]
        if not branches:
            raise ExpressionTypeError("both branches of 'if' are None", column=column)
        maybe_none = len(branches) < 2 or any(
            isinstance(branch.type, OptionalType) for branch in branches
        )
        plain = [replace(branch, type=strip_optional(branch.type)) for branch in branches]
        fitted, kind = operators.unify(plain, "the branches of 'if'", column)
        fitted_body = fitted.pop(0) if body.type != NONE else body
        fitted_orelse = fitted.pop(0) if orelse.type != NONE else orelse
        result = optional(kind) if maybe_none else kind
        return IfExp(test, fitted_body, fitted_orelse, result, column)


def _testable(kind: Type) -> bool:
    """Whether ``not x`` means "x is missing or empty" without a trap.

    Numbers are refused because ``0`` is falsy, and a date or object that can
    never be ``None`` would make the test constant.
    """
    if kind in (BOOL, STR) or isinstance(kind, CollectionType):
        return True
    if isinstance(kind, OptionalType):
        return kind.inner not in NUMBERS and kind.inner != MONEY
    return False
