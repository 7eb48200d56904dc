"""The functions an expression may call, with the types they take and return.

Only registered functions can be called, and the compiler binds each one into the
compiled code as a closure constant, so no name in an expression can reach Python's
builtins. ``len``, ``min``, ``max`` and ``abs`` are always available; their result
type depends on their arguments, so the checker types them itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from engine.expressions.types import BOOL, DATE, INT, STR, Type, is_identifier

__all__ = [
    "GENERIC_FUNCTIONS",
    "FunctionSpec",
    "days_between",
    "register_function",
    "registered_functions",
    "starts_with",
    "years_between",
]


@dataclass(frozen=True, slots=True)
class FunctionSpec:
    """A callable with a fixed signature; ``impl`` must be pure, it may be called per claim."""

    name: str
    impl: Callable[..., object]
    params: tuple[Type, ...]
    result: Type


GENERIC_FUNCTIONS: dict[str, Callable[..., object]] = {
    "abs": abs,
    "len": len,
    "max": max,
    "min": min,
}


def days_between(start: date, end: date) -> int:
    """Days from ``start`` to ``end``: negative when ``end`` comes first."""
    return (end - start).days


def years_between(start: date, end: date) -> int:
    """Whole years from ``start`` to ``end``, counted like birthdays (ages).

    Someone born on 29 February turns a year older on 1 March in common years,
    and the count runs toward zero when ``end`` comes before ``start``.
    """
    if end < start:
        return -years_between(end, start)
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def starts_with(text: str, prefix: str) -> bool:
    """Whether ``text`` begins with ``prefix`` (for NDC labeler or BIN prefixes)."""
    return text.startswith(prefix)


_REGISTRY: dict[str, FunctionSpec] = {}


def register_function(
    name: str, impl: Callable[..., object], params: Sequence[Type], result: Type
) -> FunctionSpec:
    """Make ``impl`` callable from expressions in every schema built afterwards.

    Registration is meant for import time of engine modules; a name can be
    registered once, so two modules cannot silently disagree about what it means.
    """
    if not is_identifier(name):
        raise ValueError(f"function name {name!r} is not a public identifier")
    if name in _REGISTRY or name in GENERIC_FUNCTIONS:
        raise ValueError(f"function {name!r} is already registered")
    spec = FunctionSpec(name, impl, tuple(params), result)
    _REGISTRY[name] = spec
    return spec


def registered_functions() -> dict[str, FunctionSpec]:
    """Return a snapshot of the registry, taken when a schema is built."""
    return dict(_REGISTRY)


register_function("days_between", days_between, (DATE, DATE), INT)
register_function("years_between", years_between, (DATE, DATE), INT)
register_function("starts_with", starts_with, (STR, STR), BOOL)
