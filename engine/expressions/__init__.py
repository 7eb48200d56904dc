"""Analyst-written conditions, type-checked against a schema and compiled to callables."""

from engine.expressions.compile import compile_expression
from engine.expressions.errors import (
    ExpressionError,
    ExpressionEvaluationError,
    ExpressionSyntaxError,
    ExpressionTypeError,
    ExpressionValueError,
    UnknownNameError,
)
from engine.expressions.evaluate import CompiledExpression
from engine.expressions.functions import FunctionSpec, register_function
from engine.expressions.schema import Schema
from engine.expressions.types import (
    BOOL,
    DATE,
    DECIMAL,
    INT,
    MONEY,
    STR,
    CollectionType,
    ObjectType,
    OptionalType,
    Type,
    list_of,
    optional,
    set_of,
)

__all__ = [
    "BOOL",
    "DATE",
    "DECIMAL",
    "INT",
    "MONEY",
    "STR",
    "CollectionType",
    "CompiledExpression",
    "ExpressionError",
    "ExpressionEvaluationError",
    "ExpressionSyntaxError",
    "ExpressionTypeError",
    "ExpressionValueError",
    "FunctionSpec",
    "ObjectType",
    "OptionalType",
    "Schema",
    "Type",
    "UnknownNameError",
    "compile_expression",
    "list_of",
    "optional",
    "register_function",
    "set_of",
]
