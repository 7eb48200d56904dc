"""The exceptions of the expression layer, all under one root.

::

    ExpressionError (ValueError)       anything wrong with an expression
    ├── ExpressionSyntaxError          not Python syntax, or outside the whitelist
    ├── UnknownNameError               a name, attribute or function the schema lacks
    ├── ExpressionTypeError            operands or result of the wrong type
    ├── ExpressionValueError           a literal that cannot be used (a fraction of a cent)
    └── ExpressionEvaluationError      arithmetic that failed on a claim (division by zero)

Every error but the last is raised while a file loads, never per claim. Each
carries ``message``, ``column`` (0-based offset into the expression text) and
``source``, the position of the expression in its YAML file; with a source, ``str()``
reads ``plans/hmo.yaml:42:15: unknown name 'claim.day_supply' (did you mean ...?)``.
"""

from __future__ import annotations

from engine.sourcefile import SourceRef

__all__ = [
    "ExpressionError",
    "ExpressionEvaluationError",
    "ExpressionSyntaxError",
    "ExpressionTypeError",
    "ExpressionValueError",
    "UnknownNameError",
]


class ExpressionError(ValueError):
    """Root of every expression error; a ``ValueError`` so pydantic validators report it."""

    def __init__(self, message: str, *, column: int = 0, source: SourceRef | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.column = column
        self.source = source

    def __str__(self) -> str:
        if self.source is not None:
            return f"{self.source}: {self.message}"
        return f"column {self.column + 1}: {self.message}"


class ExpressionSyntaxError(ExpressionError):
    """The text is not an expression, or uses a construct outside the whitelist."""


class UnknownNameError(ExpressionError):
    """A name the schema does not define; ``suggestion`` is the closest one it does."""

    def __init__(
        self,
        message: str,
        *,
        name: str,
        suggestion: str | None = None,
        column: int = 0,
        source: SourceRef | None = None,
    ) -> None:
        super().__init__(message, column=column, source=source)
        self.name = name
        self.suggestion = suggestion


class ExpressionTypeError(ExpressionError):
    """Operands or a result whose types do not fit, found before any claim is seen."""


class ExpressionValueError(ExpressionError):
    """A literal that has no exact meaning, like a money amount with fractions of a cent."""


class ExpressionEvaluationError(ExpressionError):
    """Arithmetic that failed while evaluating a claim, such as dividing by a zero field."""
