"""Text to a Python ``ast`` tree that holds only whitelisted constructs.

``ast.parse`` gives a precise, well-tested grammar for free; the price is that it
accepts all of Python, so every node is checked against a small whitelist before
anything else looks at the tree. Names that start with ``_`` are refused outright:
that single rule closes ``__class__``, ``__import__`` and every other dunder path.
"""

from __future__ import annotations

import ast
import re

from engine.expressions.errors import ExpressionSyntaxError

__all__ = ["MAX_DEPTH", "column_of", "parse"]

MAX_DEPTH = 100
"""Deeper trees are refused: no analyst writes them, and checking must not recurse forever."""

_LINE_BREAK = re.compile(r"\r\n|\r|\n")

_ALLOWED_BINARY = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod)
_OPERATOR_TEXT: dict[type[ast.AST], str] = {
    ast.Pow: "operator '**' is not allowed",
    ast.MatMult: "operator '@' is not allowed",
    ast.LShift: "operator '<<' is not allowed",
    ast.RShift: "operator '>>' is not allowed",
    ast.BitAnd: "operator '&' is not allowed (use 'and')",
    ast.BitOr: "operator '|' is not allowed (use 'or')",
    ast.BitXor: "operator '^' is not allowed",
    ast.Invert: "operator '~' is not allowed (use 'not')",
    ast.UAdd: "unary '+' is not allowed",
}
_REFUSED: dict[type[ast.AST], str] = {
    ast.Lambda: "lambda",
    ast.ListComp: "a comprehension",
    ast.SetComp: "a comprehension",
    ast.DictComp: "a comprehension",
    ast.GeneratorExp: "a generator expression",
    ast.Subscript: "subscript '[...]'",
    ast.Slice: "a slice",
    ast.NamedExpr: "assignment ':='",
    ast.JoinedStr: "an f-string",
    ast.FormattedValue: "an f-string",
    ast.Dict: "a dict literal",
    ast.Starred: "'*' unpacking",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
}
_LEAVES = (ast.Name, ast.Constant, ast.Load, ast.boolop, ast.cmpop, ast.unaryop, ast.operator)


def parse(text: str) -> ast.Expression:
    """Parse ``text`` as one expression and refuse anything outside the whitelist."""
    body = text.lstrip()
    shift = len(text) - len(body)
    try:
        tree = ast.parse(body, mode="eval")
    except SyntaxError as exc:
        column = shift + _syntax_offset(body, exc)
        raise ExpressionSyntaxError(exc.msg, column=column) from None
    except (ValueError, RecursionError) as exc:
        message = "expression is nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise ExpressionSyntaxError(message, column=shift) from None
    _check_whitelist(tree, text)
    return tree


def column_of(text: str, node: ast.expr) -> int:
    """0-based character offset of ``node`` in the text it was parsed from.

    ``ast`` columns count UTF-8 bytes; analysts' editors count characters, and an
    NDC description with an accent must not shift every later column. For an
    attribute the offset is that of the attribute's own name, the part that is wrong.
    """
    body = text.lstrip()
    shift = len(text) - len(body)
    if isinstance(node, ast.Attribute):
        end = _offset(body, node.end_lineno or node.lineno, node.end_col_offset or 0)
        return shift + end - len(node.attr)
    return shift + _offset(body, node.lineno, node.col_offset)


def _offset(text: str, lineno: int, byte_column: int) -> int:
    lines = _LINE_BREAK.split(text)
    before = sum(len(line) + 1 for line in lines[: lineno - 1])
    line = lines[lineno - 1] if lineno - 1 < len(lines) else ""
    return before + len(line.encode()[:byte_column].decode(errors="ignore"))


def _syntax_offset(text: str, exc: SyntaxError) -> int:
    if not exc.lineno or not exc.offset:
        return len(text.rstrip())
    lines = _LINE_BREAK.split(text)
    return sum(len(line) + 1 for line in lines[: exc.lineno - 1]) + exc.offset - 1


def _check_whitelist(tree: ast.Expression, text: str) -> None:
    pending: list[tuple[ast.AST, int]] = [(tree.body, 1)]
    while pending:
        node, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise _refuse(f"expression is nested deeper than {MAX_DEPTH} levels", node, text)
        problem = _problem(node)
        if problem:
            raise _refuse(problem, node, text)
        if not isinstance(node, ast.Tuple | ast.List | ast.Set):
            pending.extend((child, depth + 1) for child in ast.iter_child_nodes(node))


def _refuse(message: str, node: ast.AST, text: str) -> ExpressionSyntaxError:
    column = column_of(text, node) if isinstance(node, ast.expr) else 0
    return ExpressionSyntaxError(message, column=column)


def _problem(node: ast.AST) -> str | None:
    """Why ``node`` is refused, or ``None`` when it is allowed."""
    refused = _REFUSED.get(type(node))
    if refused:
        return f"{refused} is not allowed"
    match node:
        case ast.Name(id=name) | ast.Attribute(attr=name) if name.startswith("_"):
            return f"name '{name}' is not allowed: names starting with '_' are reserved"
        case ast.Attribute(value=ast.Name() | ast.Attribute()):
            return None
        case ast.Attribute(attr=name):
            return f"attribute '.{name}' is allowed only on schema names"
        case ast.BinOp(op=op) if not isinstance(op, _ALLOWED_BINARY):
            return _OPERATOR_TEXT[type(op)]
        case ast.UnaryOp(op=ast.UAdd() | ast.Invert() as op):
            return _OPERATOR_TEXT[type(op)]
        case ast.Constant(value=value):
            return _constant_problem(value)
        case ast.Call(func=ast.Name(), keywords=[_, *_]):
            return "keyword arguments are not allowed"
        case ast.Call(func=ast.Name()):
            return None
        case ast.Call():
            return "only named functions can be called, like 'days_between(a, b)'"
        case ast.Tuple(elts=items) | ast.List(elts=items) | ast.Set(elts=items):
            return _collection_problem(items)
        case ast.BoolOp() | ast.UnaryOp() | ast.BinOp() | ast.Compare() | ast.IfExp():
            return None
        case _ if isinstance(node, _LEAVES):
            return None
    return f"{type(node).__name__} is not allowed"


def _constant_problem(value: object) -> str | None:
    if value is None or isinstance(value, bool | int | float | str):
        return None
    if isinstance(value, bytes):
        return "a bytes literal is not allowed"
    if isinstance(value, complex):
        return "a complex number is not allowed"
    return f"constant {value!r} is not allowed"


def _collection_problem(items: list[ast.expr]) -> str | None:
    for item in items:
        value = item.operand if isinstance(item, ast.UnaryOp) else item
        if not isinstance(value, ast.Constant) or (
            isinstance(item, ast.UnaryOp) and not isinstance(item.op, ast.USub)
        ):
            return "a collection literal may hold only constants, like ('mail', 'retail')"
        problem = _constant_problem(value.value)
        if problem:
            return problem
    return None
