"""Checked edit conditions translated to durable_rules' JSON ruleset form.

durable_rules (2.0.28) matches one JSON message at a time against a Rete network.
What it can say, and how each typed operation of rxadj is written in it:

- **Facts, not events.** An event is consumed by the first rule it matches, so a
  claim that breaks three edits would report one. Each phase's roots become one
  fact with dotted property names (``claim.days_supply``), asserted, read and retracted.
- **None** is an absent property. durable_rules has ``$ex``/``$nex`` for presence,
  and every other test on an absent property is false; rxadj's checker already
  forces a guard before a possibly-None value is ordered or computed with, so only
  ``==``, ``!=`` and ``in`` on an unguarded value need the extra presence terms
  added here to keep Python's meaning (``None != 'F'`` is true).
- **No negation operator.** ``not`` is pushed down to the atoms (De Morgan, flipped
  comparisons); that is exact because every atom that could see an absent value
  is guarded, and a guarded atom cannot change the result.
- **Left side must be a property.** ``a * b > c * d`` becomes ``0 > c * d - a * b``
  against a constant ``rxadj`` property that every fact carries as 0.
- **Decimals** become integer thousandths (NCPDP quantities have three decimals),
  so products and comparisons stay exact in durable_rules' 64-bit integers where
  its doubles would not; ``/``, ``//`` and ``%`` are refused (it divides integers
  by truncation and has no remainder).
- **Money** is already integer cents; **dates** become day numbers
  (``date.toordinal()``), so ``days_between(a, b)`` is ``b - a``.
- **Sets** become arrays with a sentinel element: ``$iall`` over an empty array
  is false in durable_rules but ``all()`` of nothing is true in Python.
- ``starts_with(x, 'prefix')`` becomes a ``$mt`` regular expression, for
  alphanumeric prefixes only, and not under ``not``; ``len``, ``min``, ``max``,
  ``abs``, ``years_between`` and ``... if ... else ...`` have no equivalent.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from engine.edits.backends import UntranslatableError
from engine.expressions.ir import Binary, BoolOp, Call, Compare, Const, IfExp, Load, Node, Unary
from engine.expressions.types import (
    BOOL,
    DATE,
    DECIMAL,
    CollectionType,
    OptionalType,
    strip_optional,
)

__all__ = [
    "MAX_ALTERNATIVES",
    "SCALE",
    "SENTINEL",
    "ZERO",
    "DurableField",
    "DurableTranslator",
    "branches",
]

ZERO = "rxadj"
"""A property every fact carries, always 0: the left side of computed comparisons."""
SCALE = 1000
"""Decimals travel as integer thousandths."""
SENTINEL = "~rxadj-end~"
"""Appended to every set, so that ``$iall`` never meets an empty array (no real code or
class looks like it)."""
MAX_ALTERNATIVES = 512
"""A node with more successors makes durable_rules spin forever while compiling."""

Json = Any
_OPS = {"==": "$eq", "!=": "$neq", "<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte"}
_NEGATED = {"==": "!=", "!=": "==", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}
_FLIPPED = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
_PREFIX = re.compile(r"^[A-Za-z0-9]+$")


def _decimal(value: Decimal | int) -> int:
    return int((Decimal(value) * SCALE).to_integral_value(ROUND_HALF_EVEN))


def _encoder(kind: object) -> Callable[[Any], Any] | None:
    """How a fact value of ``kind`` is written into the JSON fact (None: as it is)."""
    inner = strip_optional(kind)  # type: ignore[arg-type]
    if inner == DECIMAL:
        return _decimal
    if inner == DATE:
        return dt.date.toordinal
    if isinstance(inner, CollectionType):
        element = _encoder(inner.element)
        if element is None:
            return lambda values: [*sorted(values), SENTINEL]
        return lambda values: [*sorted(element(v) for v in values), SENTINEL]
    return None


@dataclass(frozen=True, slots=True)
class DurableField:
    """One fact property: where it comes from among the phase's roots, and its encoding."""

    name: str
    root: int
    attribute: str
    encode: Callable[[Any], Any] | None = field(compare=False)


def branches(condition: Json) -> int:
    """How many alternatives durable_rules expands ``condition`` into (an upper bound).

    durable_rules hangs while compiling a ruleset when one node of its network gets
    more than 512 successors; the backend uses this count to spread rules under
    bucket properties so that no node comes near that.
    """
    if isinstance(condition, dict) and len(condition) == 1:
        ((key, value),) = condition.items()
        if key == "$or":
            return sum(branches(item) for item in value)
        if key == "$and":
            product = 1
            for item in value:
                product *= branches(item)
            return product
    return 1


class DurableTranslator:
    """Translates the checked conditions of one phase; collects the fact properties used."""

    def __init__(self, roots: tuple[str, ...]) -> None:
        self._roots = roots
        self.fields: dict[str, DurableField] = {}

    def translate(self, node: Node) -> Json:
        """The durable_rules condition that holds exactly when ``node`` is true."""
        condition = self._condition(node, positive=True)
        if _widest(condition) > MAX_ALTERNATIVES:
            raise UntranslatableError(
                f"durable_rules cannot compile more than {MAX_ALTERNATIVES} alternatives of 'or'"
                " (or of 'in' over a literal collection): it never finishes"
            )
        return condition

    def _name(self, load: Load) -> str:
        if len(load.path) != 2 or load.path[0] not in self._roots:
            raise UntranslatableError(f"'{load.dotted}' is not a root attribute")
        name = load.dotted
        if name not in self.fields:
            root = self._roots.index(load.path[0])
            self.fields[name] = DurableField(name, root, load.path[1], _encoder(load.type))
        return name

    def _condition(self, node: Node, *, positive: bool) -> Json:
        match node:
            case Const(value=bool() as value):
                return _TRUE if value == positive else _FALSE
            case BoolOp(op=op, values=values):
                key = "$and" if (op == "and") == positive else "$or"
                return {key: [self._condition(v, positive=positive) for v in values]}
            case Unary(op="not", operand=operand):
                return self._condition(operand, positive=not positive)
            case Load():
                return self._truthy(node, positive=positive)
            case Compare(op="is" | "is not" as op, left=Load() as left):
                present = (op == "is not") == positive
                return {"$ex" if present else "$nex": {self._name(left): 1}}
            case Compare(op="in" | "not in" as op, left=left, right=right):
                return self._membership(left, right, positive=(op == "in") == positive)
            case Compare(op=op, left=left, right=right) if op in _OPS:
                return self._comparison(op if positive else _NEGATED[op], left, right)
            case Call(name="starts_with", args=(Load() as text, Const(value=str() as prefix))):
                if not positive or not _PREFIX.match(prefix):
                    raise UntranslatableError(
                        "starts_with() only with an alphanumeric prefix, and not under 'not'"
                    )
                return {"$mt": {self._name(text): f"{prefix}.*"}}
            case Call(name=name):
                raise UntranslatableError(f"durable_rules has no equivalent of {name}()")
            case IfExp():
                raise UntranslatableError("durable_rules has no conditional expression")
        raise UntranslatableError(f"cannot translate {type(node).__name__} as a condition")

    def _truthy(self, load: Load, *, positive: bool) -> Json:
        """``load`` used as a condition: true, non-empty, or (optional) present and so."""
        name = self._name(load)
        kind = strip_optional(load.type)
        if isinstance(kind, CollectionType):
            if positive:
                return {"$iany": {name: {"$neq": {"$i": SENTINEL}}}}
            return {"$iall": {name: {"$eq": {"$i": SENTINEL}}}}
        if kind == DATE:
            return {"$ex" if positive else "$nex": {name: 1}}
        falsy: Json = False if kind == BOOL else ""
        if positive:
            return {"$neq": {name: falsy}}
        if isinstance(load.type, OptionalType):
            return {"$or": [{"$nex": {name: 1}}, {"$eq": {name: falsy}}]}
        return {"$eq": {name: falsy}}

    def _membership(self, left: Node, right: Node, *, positive: bool) -> Json:
        absent = _unguarded(left)
        if isinstance(right, Const) and isinstance(right.type, CollectionType):
            element = right.type.element
            assert isinstance(right.value, frozenset)
            items = [Const(v, element, right.column) for v in sorted(right.value, key=repr)]
            if positive:
                return {"$or": [self._atom("==", left, item) for item in items]}
            test: Json = {"$and": [self._atom("!=", left, item) for item in items]}
        elif isinstance(right, Load) and isinstance(right.type, CollectionType):
            item, scale = self._value(left)
            element_scale = 1 if strip_optional(right.type.element) == DECIMAL else 0
            if scale != element_scale:
                raise UntranslatableError("'in' between a decimal and whole numbers")
            name = self._name(right)
            if positive:
                return {"$iany": {name: {"$eq": {"$i": item}}}}
            test = {"$iall": {name: {"$neq": {"$i": item}}}}
        else:
            raise UntranslatableError("'in' is translated only over sets and literal collections")
        if absent is not None:
            return {"$or": [{"$nex": {self._name(absent): 1}}, test]}
        return test

    def _comparison(self, op: str, left: Node, right: Node) -> Json:
        atom = self._atom(op, left, right)
        absent = [load for load in (_unguarded(left), _unguarded(right)) if load is not None]
        if not absent or op not in ("==", "!="):
            return atom
        names = [self._name(load) for load in absent]
        if op == "==":
            if len(names) == 1:
                return atom
            return {"$or": [{"$and": [{"$nex": {n: 1}} for n in names]}, atom]}
        either_missing = [{"$nex": {n: 1}} for n in names]
        if len(names) == 1:
            return {"$or": [*either_missing, atom]}
        return {
            "$and": [{"$or": [{"$ex": {n: 1}} for n in names]}, {"$or": [*either_missing, atom]}]
        }

    def _atom(self, op: str, left: Node, right: Node) -> Json:
        """``left op right``, both present: a property on the left, or 0 against a difference."""
        left_value, left_scale = self._value(left)
        right_value, right_scale = self._value(right)
        if isinstance(left, Load) and left_scale >= right_scale:
            scaled = _rescale(right_value, left_scale - right_scale)
            return {_OPS[op]: {self._name(left): scaled}}
        if isinstance(right, Load) and right_scale >= left_scale:
            scaled = _rescale(left_value, right_scale - left_scale)
            return {_OPS[_FLIPPED[op]]: {self._name(right): scaled}}
        if isinstance(left_value, str | bool) or isinstance(right_value, str | bool):
            raise UntranslatableError("only numbers and dates can be compared as a difference")
        scale = max(left_scale, right_scale)
        difference = _arith(
            "$sub",
            _rescale(right_value, scale - right_scale),
            _rescale(left_value, scale - left_scale),
        )
        return {_OPS[op]: {ZERO: difference}}

    def _value(self, node: Node) -> tuple[Json, int]:
        """(durable_rules value expression, decimal scale power) of a non-boolean node."""
        match node:
            case Const(value=value):
                return _constant(value, 1 if node.type == DECIMAL else 0)
            case Load():
                scale = 1 if strip_optional(node.type) == DECIMAL else 0
                return {"$m": self._name(node)}, scale
            case Unary(op="-", operand=operand):
                value, scale = self._value(operand)
                return _arith("$sub", 0, value), scale
            case Binary(op="+" | "-" | "*" as op, left=left, right=right):
                (lv, ls), (rv, rs) = self._value(left), self._value(right)
                if op == "*":
                    return _arith("$mul", lv, rv), ls + rs
                scale = max(ls, rs)
                key = "$add" if op == "+" else "$sub"
                return _arith(key, _rescale(lv, scale - ls), _rescale(rv, scale - rs)), scale
            case Binary(op=op):
                raise UntranslatableError(f"durable_rules has no exact '{op}'")
            case Call(name="days_between", args=(start, end)):
                (sv, _), (ev, _) = self._value(start), self._value(end)
                return _arith("$sub", ev, sv), 0
            case Call(name=name):
                raise UntranslatableError(f"durable_rules has no equivalent of {name}()")
            case IfExp():
                raise UntranslatableError("durable_rules has no conditional expression")
        raise UntranslatableError(f"cannot translate {type(node).__name__} as a value")


def _widest(condition: Json) -> int:
    """The longest ``$or`` list anywhere in ``condition``."""
    if isinstance(condition, list):
        return max((_widest(item) for item in condition), default=0)
    if not isinstance(condition, dict):
        return 0
    own = len(condition["$or"]) if isinstance(condition.get("$or"), list) else 0
    return max(own, *(_widest(value) for value in condition.values()))


_TRUE: Json = {"$eq": {ZERO: 0}}
_FALSE: Json = {"$neq": {ZERO: 0}}


def _unguarded(node: Node) -> Load | None:
    """The load itself when it may still be None at this point of the condition."""
    return node if isinstance(node, Load) and isinstance(node.type, OptionalType) else None


def _constant(value: object, scale: int) -> tuple[Json, int]:
    if isinstance(value, Decimal):
        if value != value.quantize(Decimal(1) / SCALE):
            raise UntranslatableError(f"{value} has more than three decimals")
        return _decimal(value), 1
    if isinstance(value, dt.date):
        return value.toordinal(), 0
    if isinstance(value, int) and not isinstance(value, bool) and scale:
        return value * SCALE**scale, scale
    return value, 0


def _rescale(value: Json, power: int) -> Json:
    if power == 0:
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return value * SCALE**power
    return _arith("$mul", value, SCALE**power)


def _arith(key: str, left: Json, right: Json) -> Json:
    return {key: {"$l": left, "$r": right}}
