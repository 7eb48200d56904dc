"""Compiled callables agree with a plain tree-walking evaluator on random data.

The reference evaluator below walks the same Python ``ast`` the compiler starts
from, but keeps money in *dollars* as ``Decimal`` (cents / 100), so literals need
no scaling at all: it is an independent statement of what an expression means.
"""

from __future__ import annotations

import ast
import datetime as dt
import operator
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from expression_schema import (
    SCHEMA,
    Claim,
    Coverage,
    Drug,
    History,
    Member,
    Pharmacy,
    Plan,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.expressions import (
    MONEY,
    ExpressionValueError,
    ObjectType,
    OptionalType,
    compile_expression,
)

_BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: lambda a, b: Decimal(a) / Decimal(b),
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
}
_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
    ast.Is: operator.is_,
    ast.IsNot: operator.is_not,
}


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


def _reference_years(start: dt.date, end: dt.date) -> int:
    sign = 1
    if end < start:
        start, end, sign = end, start, -1
    years = 0
    while _add_years(start, years + 1) <= end:
        years += 1
    return sign * years


_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "days_between": lambda a, b: b.toordinal() - a.toordinal(),
    "years_between": _reference_years,
    "starts_with": lambda text, prefix: text[: len(prefix)] == prefix,
    "len": len,
    "min": min,
    "max": max,
    "abs": abs,
}


def _is_money(path: list[str]) -> bool:
    kind: Any = SCHEMA.roots[path[0]]
    for attr in path[1:]:
        kind = kind.inner if isinstance(kind, OptionalType) else kind
        assert isinstance(kind, ObjectType)
        kind = kind.attributes[attr]
    return (kind.inner if isinstance(kind, OptionalType) else kind) == MONEY


def _path(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Name):
        return [node.id]
    assert isinstance(node, ast.Attribute)
    return [*_path(node.value), node.attr]


def reference(node: ast.expr, text: str, env: dict[str, object]) -> Any:
    """Evaluate ``node`` directly; money attributes are read as Decimal dollars."""
    match node:
        case ast.Constant(value=float()):
            return Decimal(ast.get_source_segment(text, node) or "")
        case ast.Constant(value=value):
            return value
        case ast.Name() | ast.Attribute():
            path = _path(node)
            value = env[path[0]]
            for attr in path[1:]:
                value = getattr(value, attr)
            return Decimal(value) / 100 if value is not None and _is_money(path) else value
        case ast.UnaryOp(op=ast.Not(), operand=operand):
            return not reference(operand, text, env)
        case ast.UnaryOp(operand=operand):
            return -reference(operand, text, env)
        case ast.BinOp(left=left, op=op, right=right):
            return _BINARY[type(op)](reference(left, text, env), reference(right, text, env))
        case ast.BoolOp(op=ast.And(), values=values):
            return all(reference(value, text, env) for value in values)
        case ast.BoolOp(values=values):
            return any(reference(value, text, env) for value in values)
        case ast.Compare(left=left, ops=ops, comparators=comparators):
            current = reference(left, text, env)
            for op, right in zip(ops, comparators, strict=True):
                following = reference(right, text, env)
                if not _COMPARE[type(op)](current, following):
                    return False
                current = following
            return True
        case ast.Call(func=ast.Name(id=name), args=args):
            return _FUNCTIONS[name](*(reference(arg, text, env) for arg in args))
        case ast.IfExp(test=test, body=body, orelse=orelse):
            return reference(body if reference(test, text, env) else orelse, text, env)
        case ast.Tuple(elts=items) | ast.List(elts=items) | ast.Set(elts=items):
            return {reference(item, text, env) for item in items}
    raise AssertionError(ast.dump(node))


def _outcome(evaluate: Callable[[], Any]) -> tuple[str, Any]:
    try:
        return ("value", evaluate())
    except ArithmeticError:
        return ("error", None)


def _agree(text: str, roots_: tuple[object, ...]) -> None:
    env = dict(zip(SCHEMA.root_names, roots_, strict=True))
    try:
        compiled = compile_expression(text, SCHEMA, expected=None)
    except ExpressionValueError:
        # The compiler refuses a constant it can prove wrong (``0 // 0``, a fraction of a
        # cent) when the file loads, even where short-circuiting would never reach it at
        # run time: stricter than evaluation, by design.
        return
    tree = ast.parse(text, mode="eval")
    expected = _outcome(lambda: reference(tree.body, text, env))
    actual = _outcome(lambda: compiled.fn(*roots_))
    if compiled.result_type == MONEY and actual[0] == "value":
        actual = ("value", Decimal(actual[1]) / 100)
    assert actual == expected
    if actual[0] == "value" and isinstance(expected[1], bool):
        assert type(actual[1]) is bool


_NDCS = st.sampled_from(["00002143380", "00003089421", "59762330001"])
_DATES = st.dates(dt.date(1920, 1, 1), dt.date(2030, 12, 31))
_DECIMALS = st.decimals(-1000, 1000, places=3, allow_nan=False, allow_infinity=False)

ROOTS = st.tuples(
    st.builds(
        Claim,
        days_supply=st.integers(-10, 400),
        quantity=_DECIMALS,
        ndc=_NDCS,
        pa_number=st.none() | st.sampled_from(["", "PA1", "X"]),
        gross_amount_due=st.integers(-(10**6), 10**7),
        patient_pay=st.none() | st.integers(0, 10**5),
        date_of_service=_DATES,
        clarification_codes=st.frozensets(st.sampled_from(["1", "2", "7"])),
    ),
    st.builds(
        Member,
        age=st.integers(0, 110),
        date_of_birth=_DATES,
        coverage=st.none() | st.builds(Coverage, start_date=_DATES, end_date=st.none() | _DATES),
    ),
    st.builds(
        Plan,
        max_days_supply=st.integers(0, 100),
        excluded_ndcs=st.frozensets(_NDCS),
        refill_threshold=st.decimals(0, 2, places=2),
        mail_channels=st.lists(st.sampled_from(["mail", "retail", "specialty"]), max_size=3),
        max_cost=st.integers(0, 10**6),
    ),
    st.builds(
        Drug,
        pa_required=st.booleans(),
        quantity_limit_units=st.none() | _DECIMALS,
        min_age=st.none() | st.integers(0, 80),
        tier=st.integers(0, 5),
    ),
    st.builds(Pharmacy, channel=st.sampled_from(["mail", "retail", "specialty"])),
    st.builds(
        History,
        last_fill_date=st.none() | _DATES,
        last_days_supply=st.none() | st.integers(1, 90),
    ),
)

CORPUS = [
    "claim.days_supply > plan.max_days_supply",
    "drug.pa_required and not claim.pa_number",
    "drug.quantity_limit_units is not None and claim.quantity > drug.quantity_limit_units",
    "drug.min_age is not None and member.age < drug.min_age",
    "claim.ndc in plan.excluded_ndcs",
    "pharmacy.channel == 'mail' and claim.days_supply < 60",
    "claim.gross_amount_due > 1000",
    "history.last_fill_date is not None and history.last_days_supply is not None"
    " and days_between(history.last_fill_date, claim.date_of_service)"
    " < history.last_days_supply * plan.refill_threshold",
    "years_between(member.date_of_birth, claim.date_of_service) < 18",
    "claim.gross_amount_due + 2.5 >= plan.max_cost * 2",
    "claim.gross_amount_due / plan.max_cost > 0.25",
    "claim.days_supply / plan.max_days_supply",
    "claim.days_supply // (drug.tier + 1) % 7",
    "0 < claim.days_supply <= plan.max_days_supply < 90",
    "-claim.quantity < claim.days_supply - 1.5",
    "min(claim.gross_amount_due, 500) - max(plan.max_cost, 12.5)",
    "abs(claim.gross_amount_due - plan.max_cost) < 100",
    "claim.patient_pay if claim.patient_pay is not None else claim.gross_amount_due",
    "claim.patient_pay is None or claim.patient_pay < 50",
    "member.coverage is not None and (member.coverage.end_date is None"
    " or member.coverage.end_date >= claim.date_of_service)",
    "pharmacy.channel in plan.mail_channels or pharmacy.channel not in ('retail',)",
    "'7' in claim.clarification_codes and len(claim.clarification_codes) > 1",
    "not claim.pa_number or starts_with(claim.pa_number, 'PA')",
    "claim.gross_amount_due in (100, 12.5, -1)",
    "claim.quantity * plan.refill_threshold >= 10.125",
]


@pytest.mark.parametrize("text", CORPUS)
@given(roots_=ROOTS)
@settings(max_examples=60, deadline=None)
def test_compiled_corpus_matches_reference(text: str, roots_: tuple[object, ...]) -> None:
    _agree(text, roots_)


_INT_FIELDS = st.sampled_from(
    ["claim.days_supply", "plan.max_days_supply", "member.age", "drug.tier"]
)
_DECIMAL_FIELDS = st.sampled_from(["claim.quantity", "plan.refill_threshold"])
_MONEY_FIELDS = st.sampled_from(["claim.gross_amount_due", "plan.max_cost"])
_INT_LITERALS = st.integers(-40, 40).map(lambda n: f"({n})")
_DOLLARS = st.decimals(-500, 500, places=2).map(lambda d: f"({d})")


def _binary(operators: list[str]) -> Callable[[st.SearchStrategy[str]], st.SearchStrategy[str]]:
    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.builds(
            lambda a, op, b: f"({a} {op} {b})", inner, st.sampled_from(operators), inner
        )

    return extend


INTS = st.recursive(_INT_FIELDS | _INT_LITERALS, _binary(["+", "-", "*", "//", "%"]), max_leaves=5)
NUMBERS = st.recursive(
    INTS | _DECIMAL_FIELDS | _DOLLARS,
    lambda inner: (
        _binary(["+", "-", "*", "/"])(inner)
        | inner.map(lambda a: f"(-{a})")
        | st.builds(lambda a, b: f"max({a}, {b})", inner, inner)
        | inner.map(lambda a: f"abs({a})")
    ),
    max_leaves=6,
)
MONEY_EXPRESSIONS = st.recursive(
    _MONEY_FIELDS,
    lambda inner: (
        _binary(["+", "-"])(inner)
        | st.builds(
            lambda a, op, b: f"({a} {op} {b})", inner, st.sampled_from(["+", "-"]), _DOLLARS
        )
        | st.builds(lambda a, b: f"({a} * {b})", inner, INTS)
        | st.builds(lambda a, b: f"min({a}, {b})", inner, _DOLLARS)
    ),
    max_leaves=5,
)
_ORDER = st.sampled_from(["<", "<=", ">", ">=", "==", "!="])
COMPARISONS = st.builds(lambda a, op, b: f"{a} {op} {b}", NUMBERS, _ORDER, NUMBERS) | st.builds(
    lambda a, op, b: f"{a} {op} {b}", MONEY_EXPRESSIONS, _ORDER, MONEY_EXPRESSIONS | _DOLLARS
)
PREDICATES = st.recursive(
    COMPARISONS,
    lambda inner: (
        st.builds(lambda a, b: f"({a} and {b})", inner, inner)
        | st.builds(lambda a, b: f"({a} or {b})", inner, inner)
        | inner.map(lambda a: f"(not {a})")
    ),
    max_leaves=4,
)


@given(text=PREDICATES | NUMBERS | MONEY_EXPRESSIONS, roots_=ROOTS)
@settings(max_examples=400, deadline=None)
def test_random_expressions_match_reference(text: str, roots_: tuple[object, ...]) -> None:
    _agree(text, roots_)
