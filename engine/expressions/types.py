"""The types an expression can have, so mistakes surface when a file loads.

The types are deliberately few and mirror how rxadj represents data on the hot
path: ``MONEY`` is integer cents (never a float, never a ``Decimal``), ``DECIMAL``
is an exact ``decimal.Decimal`` for percentages and quantities, ``DATE`` is a
``datetime.date``. ``optional(T)`` marks a value that may be ``None``, so the
checker can insist on an ``is not None`` guard before it is ordered or computed with.
"""

from __future__ import annotations

import keyword
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

__all__ = [
    "BOOL",
    "DATE",
    "DECIMAL",
    "INT",
    "MONEY",
    "NONE",
    "NUMBERS",
    "STR",
    "CollectionType",
    "ObjectType",
    "OptionalType",
    "ScalarType",
    "Type",
    "is_identifier",
    "list_of",
    "optional",
    "set_of",
    "strip_optional",
]


class Type:
    """Base of every expression type; types compare by value, objects by identity."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class ScalarType(Type):
    """A single value: int, decimal, money, bool, str, date (and ``none``, for ``None``)."""

    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class OptionalType(Type):
    """A value that may be ``None``; build it with :func:`optional`."""

    inner: Type

    def __str__(self) -> str:
        return f"optional[{self.inner}]"


@dataclass(frozen=True, slots=True)
class CollectionType(Type):
    """A set or list, usable only with ``in``, ``not in`` and ``len()``."""

    kind: str
    element: Type

    def __str__(self) -> str:
        return f"{self.kind}[{self.element}]"


class ObjectType(Type):
    """A root (``claim``) or nested object (``member.coverage``) with typed attributes.

    At run time it is any object with those attributes, usually a slotted
    dataclass; attribute names starting with ``_`` are refused because the
    expression language never lets them be written.
    """

    __slots__ = ("attributes", "name")

    def __init__(self, attributes: Mapping[str, Type], name: str = "object") -> None:
        for attribute, kind in attributes.items():
            if not is_identifier(attribute):
                raise ValueError(f"attribute name {attribute!r} is not a public identifier")
            if not isinstance(kind, Type):
                raise TypeError(f"attribute {attribute!r} needs an expression Type, got {kind!r}")
        self.attributes: Mapping[str, Type] = MappingProxyType(dict(attributes))
        self.name = name

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"ObjectType({dict(self.attributes)!r}, name={self.name!r})"


INT = ScalarType("int")
DECIMAL = ScalarType("decimal")
MONEY = ScalarType("money")
BOOL = ScalarType("bool")
STR = ScalarType("str")
DATE = ScalarType("date")
NONE = ScalarType("none")

NUMBERS = frozenset({INT, DECIMAL})
"""Plain numbers; money is not one of them, so cents and counts never mix unnoticed."""


def optional(inner: Type) -> Type:
    """Mark ``inner`` as possibly ``None``; ``optional(optional(T))`` is ``optional(T)``."""
    if inner == NONE:
        raise ValueError("optional(NONE) is not a type")
    return inner if isinstance(inner, OptionalType) else OptionalType(inner)


def set_of(element: Type) -> CollectionType:
    """Type a set attribute, such as the excluded NDCs of a plan."""
    return CollectionType("set", element)


def list_of(element: Type) -> CollectionType:
    """Type a list attribute; membership works as for sets, only slower on long lists."""
    return CollectionType("list", element)


def strip_optional(kind: Type) -> Type:
    """Return the type a value has once it is known not to be ``None``."""
    return kind.inner if isinstance(kind, OptionalType) else kind


def is_identifier(name: str) -> bool:
    """Whether ``name`` can be written in an expression: not a keyword, not starting ``_``."""
    return name.isidentifier() and not keyword.iskeyword(name) and not name.startswith("_")
