"""Names resolve against the schema and every operand is typed when the file loads."""

from __future__ import annotations

from decimal import Decimal

import pytest
from expression_schema import SCHEMA, Claim, Plan, roots

from engine.expressions import (
    DECIMAL,
    INT,
    MONEY,
    STR,
    ExpressionSyntaxError,
    ExpressionTypeError,
    ExpressionValueError,
    UnknownNameError,
    compile_expression,
    optional,
)

UNKNOWN = [
    (
        "claim.day_supply > 3",
        "unknown name 'claim.day_supply' (did you mean 'claim.days_supply'?)",
        6,
        "claim.day_supply",
        "claim.days_supply",
    ),
    ("clam.days_supply > 3", "unknown name 'clam' (did you mean 'claim'?)", 0, "clam", "claim"),
    ("claim.xyz > 3", "unknown name 'claim.xyz'", 6, "claim.xyz", None),
    (
        "member.coverage is not None and member.coverage.end_dat is None",
        "unknown name 'member.coverage.end_dat' (did you mean 'member.coverage.end_date'?)",
        48,
        "member.coverage.end_dat",
        "member.coverage.end_date",
    ),
    (
        "day_between(claim.date_of_service, claim.date_of_service) > 1",
        "unknown function 'day_between' (did you mean 'days_between'?)",
        0,
        "day_between",
        "days_between",
    ),
    (
        "open('x')",
        "unknown function 'open' (known: abs, days_between, len, max, min, starts_with,"
        " years_between)",
        0,
        "open",
        None,
    ),
]


@pytest.mark.parametrize(("text", "message", "column", "name", "suggestion"), UNKNOWN)
def test_unknown_names_suggest_the_closest_name_at_their_level(
    text: str, message: str, column: int, name: str, suggestion: str | None
) -> None:
    with pytest.raises(UnknownNameError) as caught:
        compile_expression(text, SCHEMA)
    error = caught.value
    assert (error.message, error.column, error.name, error.suggestion) == (
        message,
        column,
        name,
        suggestion,
    )


TYPE_ERRORS = [
    ("claim.ndc < 5", "cannot compare 'claim.ndc' (str) with 5 (int)", 0),
    ("claim.ndc == 5", "cannot compare 'claim.ndc' (str) with 5 (int)", 0),
    (
        "claim.date_of_service > claim.ndc",
        "cannot compare 'claim.date_of_service' (date) with 'claim.ndc' (str)",
        0,
    ),
    ("drug.pa_required < True", "cannot order bool values with '<'", 0),
    ("drug.pa_required + 1 > 0", "'+' needs numbers or money, got 'drug.pa_required' (bool)", 0),
    ("claim.ndc + 'x' == 'y'", "'+' needs numbers or money, got 'claim.ndc' (str)", 0),
    ("claim.quantity % 2 == 0", "operator '%' needs int operands, got decimal and int", 0),
    ("claim.days_supply // 2.5 == 0", "operator '//' needs int operands, got int and decimal", 0),
    (
        "claim.ndc in claim.days_supply",
        "'in' needs a set, list or str on the right, got 'claim.days_supply' (int)",
        0,
    ),
    (
        "claim.days_supply in plan.excluded_ndcs",
        "cannot look for 'claim.days_supply' (int) in set[str]",
        0,
    ),
    ("claim.days_supply in 'abc'", "cannot look for 'claim.days_supply' (int) in a str", 0),
    (
        "claim.days_supply",
        "the expression must be a condition (bool), got 'claim.days_supply' (int)",
        0,
    ),
    ("claim.days_supply + 1", "the expression must be a condition (bool), got int", 0),
    ("claim", "the expression must be a condition (bool), got 'claim' (claim)", 0),
    (
        "claim.days_supply and drug.pa_required",
        "operand of 'and' must be a condition (bool), got 'claim.days_supply' (int)",
        0,
    ),
    (
        "drug.pa_required or claim.pa_number",
        "operand of 'or' must be a condition (bool), got 'claim.pa_number' (optional[str])"
        " (write 'x is not None' or 'not x')",
        20,
    ),
    (
        "1 if claim.days_supply else 2",
        "the test of 'if' must be a condition (bool), got 'claim.days_supply' (int)",
        5,
    ),
    (
        "(1 if drug.pa_required else 'x') == 1",
        "the branches of 'if' cannot mix 1 (int) and 'x' (str)",
        1,
    ),
    ("(1, 2) == (1, 2)", "a collection literal is allowed only after 'in' or 'not in'", 0),
    ("claim.ndc in ('a', 1)", "a collection literal cannot mix 'a' (str) and 1 (int)", 13),
    ("claim.ndc in ()", "an empty collection literal is never useful", 13),
    (
        "claim.pa_number in (None,)",
        "use 'is None' to test for None",
        19,
    ),
    ("len > 1", "'len' is a function; call it like len(...)", 0),
    ("claim() == 1", "'claim' is not a function", 0),
    ("claim.days_supply.value > 1", "'claim.days_supply' is int and has no attributes", 18),
    (
        "len(claim.days_supply) > 1",
        "len() needs a str, set or list, got 'claim.days_supply' (int)",
        0,
    ),
    ("len(claim.ndc, claim.ndc) > 1", "len() takes 1 argument, got 2", 0),
    ("min(claim.days_supply) > 1", "min() needs at least 2 arguments", 0),
    ("max(drug.pa_required, True)", "max() cannot compare bool values", 0),
    ("abs(claim.ndc) > 1", "abs() needs a number or money, got 'claim.ndc' (str)", 0),
    ("days_between(claim.date_of_service) > 1", "days_between() takes 2 arguments, got 1", 0),
    (
        "days_between(claim.ndc, claim.date_of_service) > 1",
        "argument 1 of days_between() must be date, got 'claim.ndc' (str)",
        13,
    ),
    ("starts_with(claim.ndc, 5)", "argument 2 of starts_with() must be str, got 5 (int)", 23),
    ("-claim.ndc == 'x'", "unary '-' needs a number or money, got 'claim.ndc' (str)", 0),
    (
        "not claim.days_supply",
        "'not' needs a condition, got 'claim.days_supply' (int);"
        " compare it explicitly, like 'x == 0'",
        0,
    ),
    (
        "not drug.min_age",
        "'not' needs a condition, got 'drug.min_age' (optional[int]); write 'x is None'",
        0,
    ),
    ("not claim.date_of_service", "'not' needs a condition, got 'claim.date_of_service' (date)", 0),
    ("claim.ndc is None", "'claim.ndc' (str) is never None; 'is None' is always False", 0),
    (
        "claim.ndc is not None",
        "'claim.ndc' (str) is never None; 'is not None' is always True",
        0,
    ),
    (
        "claim.pa_number == None",
        "use 'is None' or 'is not None' to test for None, not '=='",
        0,
    ),
]


@pytest.mark.parametrize(("text", "message", "column"), TYPE_ERRORS)
def test_type_mismatches_are_refused_at_load(text: str, message: str, column: int) -> None:
    with pytest.raises(ExpressionTypeError) as caught:
        compile_expression(text, SCHEMA)
    assert (caught.value.message, caught.value.column) == (message, column)


@pytest.mark.parametrize(
    ("text", "message", "column"),
    [
        ("claim.pa_number is 'x'", "'is' is allowed only as 'is None'", 19),
        ("claim.pa_number is not None is True", "'is None' cannot be chained", 0),
    ],
)
def test_is_is_only_for_none(text: str, message: str, column: int) -> None:
    with pytest.raises(ExpressionSyntaxError) as caught:
        compile_expression(text, SCHEMA)
    assert (caught.value.message, caught.value.column) == (message, column)


def test_constant_division_by_zero_is_refused_at_load() -> None:
    with pytest.raises(ExpressionValueError) as caught:
        compile_expression("claim.days_supply > 1 // 0", SCHEMA)
    assert (caught.value.message, caught.value.column) == (
        "cannot compute 1 // 0: division by zero",
        20,
    )


@pytest.mark.parametrize(
    ("text", "result_type"),
    [
        ("claim.days_supply / 4", DECIMAL),
        ("claim.days_supply // 7", INT),
        ("claim.days_supply % 7", INT),
        ("claim.quantity + 1", DECIMAL),
        ("claim.days_supply * 2 - 1", INT),
        ("claim.gross_amount_due * 2", MONEY),
        ("2 * claim.gross_amount_due", MONEY),
        ("claim.gross_amount_due / plan.max_cost", DECIMAL),
        ("-claim.gross_amount_due", MONEY),
        ("abs(claim.quantity)", DECIMAL),
        ("max(claim.days_supply, 1.5)", DECIMAL),
        ("len(claim.ndc)", INT),
        ("1 if drug.pa_required else None", optional(INT)),
        ("claim.pa_number if drug.pa_required else 'none'", optional(STR)),
        ("drug.min_age if drug.min_age is not None else 0", INT),
    ],
)
def test_result_types(text: str, result_type: object) -> None:
    assert compile_expression(text, SCHEMA, expected=None).result_type == result_type


def test_expected_type_accepts_an_int_where_a_decimal_is_wanted() -> None:
    compiled = compile_expression("claim.days_supply * 2", SCHEMA, expected=DECIMAL)
    assert (compiled.result_type, compiled(*roots())) == (INT, 60)


def test_expected_type_refuses_a_mismatch() -> None:
    with pytest.raises(ExpressionTypeError) as caught:
        compile_expression("claim.days_supply", SCHEMA, expected=STR)
    assert caught.value.message == "the expression must be str, got 'claim.days_supply' (int)"


def test_names_are_the_dotted_names_read() -> None:
    compiled = compile_expression(
        "claim.days_supply > plan.max_days_supply and member.coverage is not None"
        " and member.coverage.end_date is None",
        SCHEMA,
    )
    assert compiled.names == frozenset(
        {
            "claim.days_supply",
            "plan.max_days_supply",
            "member.coverage",
            "member.coverage.end_date",
        }
    )


def test_decimal_literals_are_exact() -> None:
    compiled = compile_expression("claim.quantity == 0.1 + 0.2", SCHEMA)
    assert compiled(*roots(Claim(quantity=Decimal("0.3")))) is True


def test_division_is_exact_decimal_never_float() -> None:
    compiled = compile_expression("claim.days_supply / plan.max_days_supply", SCHEMA, expected=None)
    result = compiled(*roots(Claim(days_supply=7), plan=Plan(max_days_supply=2)))
    assert (type(result), result) == (Decimal, Decimal("3.5"))


def test_constant_division_folds_to_a_decimal() -> None:
    compiled = compile_expression("1 / 3", SCHEMA, expected=None)
    assert compiled(*roots()) == Decimal("0.3333333333333333333333333333")


def test_constant_subexpressions_are_folded() -> None:
    compiled = compile_expression("claim.days_supply > 2 * 3 + 1", SCHEMA)
    assert 7 in compiled.fn.__code__.co_consts
    assert compiled(*roots(Claim(days_supply=8))) is True


def test_chained_comparison_checks_every_pair() -> None:
    compiled = compile_expression("0 < claim.days_supply <= 30", SCHEMA)
    results = [compiled(*roots(Claim(days_supply=days))) for days in (0, 1, 30, 31)]
    assert results == [False, True, True, False]
