"""Money is integer cents; a number written next to money is dollars, scaled at load."""

from __future__ import annotations

import pytest
from expression_schema import SCHEMA, Claim, Plan, roots

from engine.expressions import (
    MONEY,
    ExpressionTypeError,
    ExpressionValueError,
    compile_expression,
)


def _claim(cents: int) -> tuple[object, ...]:
    return roots(Claim(gross_amount_due=cents))


@pytest.mark.parametrize(
    ("text", "cents", "false_at", "true_at"),
    [
        ("claim.gross_amount_due > 1000", 100_000, 100_000, 100_001),
        ("claim.gross_amount_due > 12.5", 1_250, 1_250, 1_251),
        ("claim.gross_amount_due >= 0.01", 1, 0, 1),
        ("claim.gross_amount_due > 1_000.50", 100_050, 100_050, 100_051),
        ("claim.gross_amount_due > 1000 + 500", 150_000, 150_000, 150_001),
        ("claim.gross_amount_due < -5", -500, -500, -501),
        ("1000 < claim.gross_amount_due", 100_000, 100_000, 100_001),
    ],
)
def test_a_literal_next_to_money_is_dollars_scaled_at_load(
    text: str, cents: int, false_at: int, true_at: int
) -> None:
    compiled = compile_expression(text, SCHEMA)
    assert cents in compiled.fn.__code__.co_consts
    assert (compiled(*_claim(false_at)), compiled(*_claim(true_at))) == (False, True)


def test_equality_with_a_dollar_literal() -> None:
    compiled = compile_expression("claim.gross_amount_due == 12.5", SCHEMA)
    assert [compiled(*_claim(cents)) for cents in (1_249, 1_250, 12)] == [False, True, False]


def test_adding_dollars_to_money() -> None:
    compiled = compile_expression("claim.gross_amount_due + 2.50 > plan.max_cost", SCHEMA)
    plan = Plan(max_cost=100_000)
    results = [compiled(*roots(Claim(gross_amount_due=c), plan=plan)) for c in (99_750, 99_751)]
    assert results == [False, True]


def test_subtracting_dollars_from_money() -> None:
    compiled = compile_expression("claim.gross_amount_due - 5 == 5", SCHEMA)
    assert [compiled(*_claim(cents)) for cents in (1_000, 10)] == [True, False]


def test_a_multiplier_of_money_is_a_count_not_dollars() -> None:
    compiled = compile_expression("claim.gross_amount_due * 2 > 100", SCHEMA)
    assert [compiled(*_claim(cents)) for cents in (5_000, 5_001)] == [False, True]


def test_money_times_int_stays_cents() -> None:
    compiled = compile_expression("claim.gross_amount_due * 3", SCHEMA, expected=MONEY)
    assert compiled(*_claim(12_500)) == 37_500


def test_a_literal_where_money_is_expected_is_dollars() -> None:
    compiled = compile_expression("12.5", SCHEMA, expected=MONEY)
    assert (compiled.result_type, compiled(*roots())) == (MONEY, 1_250)


def test_money_over_money_is_an_exact_ratio() -> None:
    compiled = compile_expression("claim.gross_amount_due / plan.max_cost > 0.5", SCHEMA)
    plan = Plan(max_cost=100_000)
    results = [compiled(*roots(Claim(gross_amount_due=c), plan=plan)) for c in (50_000, 50_001)]
    assert results == [False, True]


def test_chained_comparison_reads_both_literals_as_dollars() -> None:
    compiled = compile_expression("0 < claim.gross_amount_due <= 1000", SCHEMA)
    results = [compiled(*_claim(cents)) for cents in (0, 1, 100_000, 100_001)]
    assert results == [False, True, True, False]


def test_membership_in_a_literal_list_of_dollars() -> None:
    compiled = compile_expression("claim.gross_amount_due in (10, 12.5)", SCHEMA)
    assert [compiled(*_claim(cents)) for cents in (1_000, 1_250, 10)] == [True, True, False]


def test_min_and_max_read_literals_as_dollars() -> None:
    compiled = compile_expression("min(claim.gross_amount_due, 100)", SCHEMA, expected=MONEY)
    assert [compiled(*_claim(cents)) for cents in (5_000, 20_000)] == [5_000, 10_000]


def test_conditional_branches_read_literals_as_dollars() -> None:
    compiled = compile_expression(
        "claim.patient_pay if claim.patient_pay is not None else 0", SCHEMA, expected=MONEY
    )
    assert compiled(*roots()) == 0
    assert compiled(*roots(Claim(patient_pay=725))) == 725


@pytest.mark.parametrize(
    ("text", "literal", "column"),
    [
        ("claim.gross_amount_due > 12.345", "12.345", 25),
        ("claim.gross_amount_due + 0.001 > 1", "0.001", 25),
        ("claim.gross_amount_due in (10, 12.555)", "12.555", 26),
        ("claim.gross_amount_due > 1 / 3", "0.3333333333333333333333333333", 25),
    ],
)
def test_fractions_of_a_cent_are_refused(text: str, literal: str, column: int) -> None:
    with pytest.raises(ExpressionValueError) as caught:
        compile_expression(text, SCHEMA)
    assert (caught.value.message, caught.value.column) == (
        f"money amount {literal} has fractions of a cent",
        column,
    )


_UNIT_HINT = "a number next to money must be written as a dollar literal, or be another money value"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "claim.gross_amount_due > claim.days_supply",
            "cannot compare 'claim.gross_amount_due' (money) and 'claim.days_supply' (int): "
            + _UNIT_HINT,
        ),
        (
            "claim.gross_amount_due == claim.quantity",
            "cannot compare 'claim.gross_amount_due' (money) and 'claim.quantity' (decimal): "
            + _UNIT_HINT,
        ),
        (
            "claim.gross_amount_due + claim.quantity > 1",
            "cannot add 'claim.gross_amount_due' (money) and 'claim.quantity' (decimal): "
            + _UNIT_HINT,
        ),
        (
            "claim.gross_amount_due * 1.5 > 1",
            "cannot multiply 'claim.gross_amount_due' (money) and 1.5 (decimal): money can be"
            " added to money, multiplied by an int, or divided by money",
        ),
        (
            "claim.gross_amount_due * plan.max_cost > 1",
            "cannot multiply 'claim.gross_amount_due' (money) and 'plan.max_cost' (money): money"
            " can be added to money, multiplied by an int, or divided by money",
        ),
        (
            "claim.gross_amount_due / 2 > 1",
            "cannot divide 'claim.gross_amount_due' (money) and 2 (int): money can be added to"
            " money, multiplied by an int, or divided by money",
        ),
        (
            "claim.gross_amount_due // plan.max_cost > 1",
            "cannot divide 'claim.gross_amount_due' (money) and 'plan.max_cost' (money): money"
            " can be added to money, multiplied by an int, or divided by money",
        ),
        (
            "claim.gross_amount_due in plan.excluded_ndcs",
            "cannot look for 'claim.gross_amount_due' (money) in set[str]",
        ),
        (
            "max(claim.gross_amount_due, claim.days_supply) > 1",
            "max() cannot mix 'claim.gross_amount_due' (money) and 'claim.days_supply' (int)",
        ),
    ],
)
def test_money_never_meets_a_count_or_ratio_unnoticed(text: str, message: str) -> None:
    with pytest.raises(ExpressionTypeError) as caught:
        compile_expression(text, SCHEMA)
    assert caught.value.message == message
