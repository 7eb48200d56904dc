"""Which optional names a condition proves are not ``None``.

Read from the syntax alone: ``x is not None`` proves ``x`` when true, ``x is None``
proves it when false, a bare ``x`` (under ``not``) proves it when truthy, and
``and``/``or``/``not`` combine those facts the way they combine truth values.
"""

from __future__ import annotations

import ast

__all__ = ["dotted", "not_none_when"]


def dotted(node: ast.expr) -> str | None:
    """``member.coverage.end_date`` for an attribute chain on a name, else ``None``."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def not_none_when(node: ast.expr, *, when: bool) -> frozenset[str]:
    """Return the dotted names that cannot be ``None`` once ``node`` evaluated to ``when``."""
    match node:
        case ast.Compare(left=left, ops=[ast.IsNot() | ast.Is() as op], comparators=[right]):
            proves = isinstance(op, ast.IsNot) == when
            name = dotted(left)
            is_none_test = isinstance(right, ast.Constant) and right.value is None
            return frozenset({name}) if proves and is_none_test and name else frozenset()
        case ast.UnaryOp(op=ast.Not(), operand=operand):
            return not_none_when(operand, when=not when)
        case ast.BoolOp(op=op, values=values):
            facts = [not_none_when(value, when=when) for value in values]
            if isinstance(op, ast.And) == when:
                return frozenset().union(*facts)
            return frozenset.intersection(*facts)
        case ast.Name() | ast.Attribute() if when:
            name = dotted(node)
            return frozenset({name}) if name else frozenset()
    return frozenset()
