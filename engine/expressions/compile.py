"""From checked tree to a real Python function, and the package's entry point.

The typed tree is turned back into a Python ``ast`` of one lambda taking the
roots in schema order, compiled with ``compile()``: only nodes this module builds
are ever compiled, never the analyst's text. Values that cannot be ``ast``
constants (``Decimal`` literals, literal sets, the whitelisted functions) become
closure cells of that lambda, and its globals hold an empty ``__builtins__``, so the
compiled code can reach nothing but its arguments and those cells.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from decimal import Decimal
from types import CellType, CodeType, FunctionType
from typing import Any

from engine.expressions.check import check
from engine.expressions.errors import ExpressionError
from engine.expressions.evaluate import CompiledExpression
from engine.expressions.ir import Binary, BoolOp, Call, Compare, Const, IfExp, Load, Node, Unary
from engine.expressions.operators import coerce
from engine.expressions.parse import parse
from engine.expressions.schema import Schema
from engine.expressions.types import BOOL, Type
from engine.sourcefile import SourceRef

__all__ = ["build_function", "compile_expression"]

_BINARY: dict[str, type[ast.operator]] = {
    "+": ast.Add,
    "-": ast.Sub,
    "*": ast.Mult,
    "/": ast.Div,
    "//": ast.FloorDiv,
    "%": ast.Mod,
}
_COMPARE: dict[str, type[ast.cmpop]] = {
    "==": ast.Eq,
    "!=": ast.NotEq,
    "<": ast.Lt,
    "<=": ast.LtE,
    ">": ast.Gt,
    ">=": ast.GtE,
    "in": ast.In,
    "not in": ast.NotIn,
    "is": ast.Is,
    "is not": ast.IsNot,
}


def compile_expression(
    text: str, schema: Schema, *, expected: Type | None = BOOL, source: SourceRef | None = None
) -> CompiledExpression:
    """Parse, check and compile ``text``; every error is raised here, none per claim.

    ``expected`` is the type the caller needs (a condition by default; ``None``
    accepts any type); ``source`` is where the text sits in its file, for messages.
    """
    try:
        node, names = check(parse(text), text, schema)
        if expected is not None:
            node = coerce(node, expected, "the expression")
        fn = build_function(node, schema.root_names, str(source) if source else "<expression>")
    except ExpressionError as exc:
        if exc.source is None:
            exc.source = source
        raise
    return CompiledExpression(text, fn, node.type, names, source)


def build_function(node: Node, roots: tuple[str, ...], filename: str) -> Callable[..., Any]:
    """Compile a checked tree into ``lambda <roots>: <expression>``."""
    emitter = _Emitter()
    body = emitter.emit(node)
    cell_names = list(emitter.cells)
    inner = ast.Lambda(args=_arguments(roots), body=body)
    outer = ast.Lambda(args=_arguments(cell_names), body=inner)
    tree = ast.fix_missing_locations(ast.Expression(body=outer))
    code = compile(tree, filename, "eval", dont_inherit=True)
    lambda_code = _nested_code(_nested_code(code))
    closure = tuple(CellType(emitter.cells[name]) for name in lambda_code.co_freevars)
    return FunctionType(lambda_code, {"__builtins__": {}}, "expression", None, closure)


def _arguments(names: list[str] | tuple[str, ...]) -> ast.arguments:
    return ast.arguments(
        posonlyargs=[],
        args=[ast.arg(arg=name) for name in names],
        kwonlyargs=[],
        kw_defaults=[],
        defaults=[],
    )


def _nested_code(code: CodeType) -> CodeType:
    return next(const for const in code.co_consts if isinstance(const, CodeType))


class _Emitter:
    """Builds the Python ``ast``; ``cells`` are the closure values, by cell name."""

    def __init__(self) -> None:
        self.cells: dict[str, object] = {}
        self._names: dict[int, str] = {}

    def bind(self, value: object) -> ast.Name:
        name = self._names.get(id(value))
        if name is None:
            name = f"_k{len(self.cells)}"
            self._names[id(value)] = name
            self.cells[name] = value
        return ast.Name(id=name, ctx=ast.Load())

    def emit(self, node: Node) -> ast.expr:
        match node:
            case Const(value=None | bool() | int() | str() as value):
                return ast.Constant(value=value)
            case Const(value=value):
                return self.bind(value)
            case Load(path=path):
                loaded: ast.expr = ast.Name(id=path[0], ctx=ast.Load())
                for attr in path[1:]:
                    loaded = ast.Attribute(value=loaded, attr=attr, ctx=ast.Load())
                return loaded
            case Unary(op=op, operand=operand):
                unary = ast.Not() if op == "not" else ast.USub()
                return ast.UnaryOp(op=unary, operand=self.emit(operand))
            case Binary(op="/", left=left, right=right):
                exact = ast.Call(func=self.bind(Decimal), args=[self.emit(left)], keywords=[])
                return ast.BinOp(left=exact, op=ast.Div(), right=self.emit(right))
            case Binary(op=op, left=left, right=right):
                return ast.BinOp(left=self.emit(left), op=_BINARY[op](), right=self.emit(right))
            case Compare(op=op, left=left, right=right):
                return ast.Compare(
                    left=self.emit(left), ops=[_COMPARE[op]()], comparators=[self.emit(right)]
                )
            case BoolOp(op=op, values=values):
                boolean = ast.And() if op == "and" else ast.Or()
                return ast.BoolOp(op=boolean, values=[self.emit(value) for value in values])
            case Call(impl=impl, args=args):
                return ast.Call(
                    func=self.bind(impl), args=[self.emit(arg) for arg in args], keywords=[]
                )
            case IfExp(test=test, body=body, orelse=orelse):
                return ast.IfExp(
                    test=self.emit(test), body=self.emit(body), orelse=self.emit(orelse)
                )
        raise AssertionError(f"unexpected node {node!r}")
