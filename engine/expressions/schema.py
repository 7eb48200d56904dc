"""The names an expression may use: the roots, in call order, and the functions."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from engine.expressions.functions import (
    GENERIC_FUNCTIONS,
    FunctionSpec,
    registered_functions,
)
from engine.expressions.types import ObjectType, is_identifier

__all__ = ["Schema"]


class Schema:
    """Root objects in the order compiled callables take them, plus callable functions.

    The order of ``roots`` is the positional order of every compiled callable, so
    the engine can call all of a rule set's predicates with the same arguments.
    ``functions`` defaults to a snapshot of the registry: a rule compiled against a
    schema keeps its meaning even if more functions are registered later.
    """

    __slots__ = ("functions", "roots")

    def __init__(
        self,
        roots: Mapping[str, ObjectType],
        functions: Mapping[str, FunctionSpec] | None = None,
    ) -> None:
        chosen = registered_functions() if functions is None else dict(functions)
        for name, root in roots.items():
            if not is_identifier(name):
                raise ValueError(f"root name {name!r} is not a public identifier")
            if name in chosen or name in GENERIC_FUNCTIONS:
                raise ValueError(f"root name {name!r} is also a function name")
            if not isinstance(root, ObjectType):
                raise TypeError(f"root {name!r} must be an ObjectType, got {root!r}")
        self.roots: Mapping[str, ObjectType] = MappingProxyType(dict(roots))
        self.functions: Mapping[str, FunctionSpec] = MappingProxyType(chosen)

    @property
    def root_names(self) -> tuple[str, ...]:
        """The roots' names, in the positional order of compiled callables."""
        return tuple(self.roots)

    def function_names(self) -> frozenset[str]:
        """Every name that can be called, for did-you-mean hints."""
        return frozenset(self.functions) | frozenset(GENERIC_FUNCTIONS)
