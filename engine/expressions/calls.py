"""Type checks for function calls.

Registered functions have fixed signatures, checked argument by argument (a
money parameter reads a literal argument as dollars). The generic builtins
``len``, ``min``, ``max`` and ``abs`` take their result type from their arguments.
"""

from __future__ import annotations

from engine.expressions import operators
from engine.expressions.errors import ExpressionTypeError, UnknownNameError
from engine.expressions.functions import GENERIC_FUNCTIONS
from engine.expressions.ir import Call, Const, Node
from engine.expressions.schema import Schema
from engine.expressions.suggestions import did_you_mean, suggest
from engine.expressions.types import DATE, INT, MONEY, NUMBERS, STR, CollectionType

__all__ = ["check_call"]


def check_call(schema: Schema, name: str, args: list[Node], column: int) -> Node:
    """Type a call of a registered function, or of one of the generic builtins."""
    if name in GENERIC_FUNCTIONS:
        return _generic_call(name, args, column)
    spec = schema.functions.get(name)
    if spec is None:
        if name in schema.roots:
            raise ExpressionTypeError(f"'{name}' is not a function", column=column)
        known = sorted(schema.function_names())
        guess = suggest(name, known)
        tail = did_you_mean(guess) or f" (known: {', '.join(known)})"
        raise UnknownNameError(
            f"unknown function '{name}'{tail}", name=name, suggestion=guess, column=column
        )
    if len(args) != len(spec.params):
        raise ExpressionTypeError(
            f"{name}() takes {_count(len(spec.params))}, got {len(args)}", column=column
        )
    fitted = tuple(
        operators.coerce(arg, param, f"argument {index} of {name}()")
        for index, (arg, param) in enumerate(zip(args, spec.params, strict=True), start=1)
    )
    return Call(name, spec.impl, fitted, spec.result, column)


def _generic_call(name: str, args: list[Node], column: int) -> Node:
    impl = GENERIC_FUNCTIONS[name]
    for arg in args:
        operators.not_none(arg)
    if name in ("min", "max"):
        if len(args) < 2:
            raise ExpressionTypeError(f"{name}() needs at least 2 arguments", column=column)
        fitted, kind = operators.unify(args, f"{name}()", column)
        if kind not in NUMBERS | {MONEY, STR, DATE}:
            raise ExpressionTypeError(f"{name}() cannot compare {kind} values", column=column)
        if all(isinstance(arg, Const) for arg in fitted):
            values = [arg.value for arg in fitted if isinstance(arg, Const)]
            literal = all(isinstance(arg, Const) and arg.literal for arg in fitted)
            return Const(impl(*values), kind, column, literal=literal)
        return Call(name, impl, tuple(fitted), kind, column)
    if len(args) != 1:
        raise ExpressionTypeError(f"{name}() takes {_count(1)}, got {len(args)}", column=column)
    (arg,) = args
    if name == "len":
        if arg.type != STR and not isinstance(arg.type, CollectionType):
            raise ExpressionTypeError(
                f"len() needs a str, set or list, got {operators.describe(arg)}", column=column
            )
        return Call(name, impl, (arg,), INT, column)
    if arg.type not in NUMBERS and arg.type != MONEY:
        raise ExpressionTypeError(
            f"abs() needs a number or money, got {operators.describe(arg)}", column=column
        )
    if isinstance(arg, Const):
        return Const(abs(arg.value), arg.type, column, literal=arg.literal)  # type: ignore[arg-type]
    return Call(name, impl, (arg,), arg.type, column)


def _count(number: int) -> str:
    return f"{number} argument" if number == 1 else f"{number} arguments"
