"""Optional values: usable only where an enclosing test has ruled out None."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from expression_schema import SCHEMA, Claim, Coverage, Drug, History, Member, roots

from engine.expressions import INT, ExpressionTypeError, compile_expression

REFILL = (
    "history.last_fill_date is not None and history.last_days_supply is not None"
    " and days_between(history.last_fill_date, claim.date_of_service)"
    " < history.last_days_supply * 0.75"
)


def test_refill_too_soon_is_guarded_and_evaluates() -> None:
    compiled = compile_expression(REFILL, SCHEMA)
    too_soon = History(last_fill_date=dt.date(2026, 2, 10), last_days_supply=30)
    late_enough = History(last_fill_date=dt.date(2026, 2, 1), last_days_supply=30)
    assert compiled(*roots(history=History())) is False
    assert compiled(*roots(history=too_soon)) is True
    assert compiled(*roots(history=late_enough)) is False


@pytest.mark.parametrize(
    "text",
    [
        "drug.min_age is not None and member.age < drug.min_age",
        "drug.min_age is None or member.age < drug.min_age",
        "not (drug.min_age is None) and member.age < drug.min_age",
        "not (drug.min_age is None or member.age >= drug.min_age)",
        "(drug.tier > 0 and drug.min_age is not None) and member.age < drug.min_age",
        "(drug.min_age is not None and drug.tier > 0) or drug.pa_required",
        "member.age < drug.min_age if drug.min_age is not None else False",
        "True if drug.min_age is None else member.age < drug.min_age",
        "member.coverage is not None and member.coverage.end_date is not None"
        " and member.coverage.end_date < claim.date_of_service",
        "not claim.pa_number or starts_with(claim.pa_number, 'PA')",
        "drug.min_age == 18",
        "drug.min_age != 18",
        "claim.pa_number in plan.excluded_ndcs",
    ],
)
def test_guarded_or_none_safe_uses_are_accepted(text: str) -> None:
    compile_expression(text, SCHEMA)


def _may_be_none(name: str) -> str:
    return f"'{name}' may be None; write '{name} is not None and ...' before using it here"


@pytest.mark.parametrize(
    ("text", "name", "column"),
    [
        ("member.age < drug.min_age", "drug.min_age", 13),
        ("drug.min_age is not None or member.age < drug.min_age", "drug.min_age", 41),
        ("member.age < drug.min_age and drug.min_age is not None", "drug.min_age", 13),
        ("drug.min_age is None and member.age < drug.min_age", "drug.min_age", 38),
        (
            "(drug.min_age is not None or drug.tier > 1) and member.age < drug.min_age",
            "drug.min_age",
            61,
        ),
        ("drug.pa_required and member.age < drug.min_age", "drug.min_age", 34),
        (
            "days_between(history.last_fill_date, claim.date_of_service) > 1",
            "history.last_fill_date",
            13,
        ),
        ("history.last_days_supply + 1 > 2", "history.last_days_supply", 0),
        ("-history.last_days_supply < 2", "history.last_days_supply", 1),
        ("member.coverage.end_date is None", "member.coverage", 16),
        ("claim.pa_number in 'PA123'", "claim.pa_number", 0),
        ("len(claim.pa_number) > 1", "claim.pa_number", 4),
    ],
)
def test_unguarded_optional_uses_are_refused(text: str, name: str, column: int) -> None:
    with pytest.raises(ExpressionTypeError) as caught:
        compile_expression(text, SCHEMA, expected=None)
    assert (caught.value.message, caught.value.column) == (_may_be_none(name), column)


def test_a_conditional_with_an_optional_branch_is_optional() -> None:
    with pytest.raises(ExpressionTypeError) as caught:
        compile_expression("drug.min_age if drug.pa_required else 1", SCHEMA, expected=INT)
    assert caught.value.message == "a value of type optional[int] may be None here"


def test_a_narrowed_conditional_has_a_plain_type() -> None:
    compiled = compile_expression(
        "drug.min_age if drug.min_age is not None else 0", SCHEMA, expected=INT
    )
    assert (compiled(*roots()), compiled(*roots(drug=Drug(min_age=12)))) == (0, 12)


def test_nested_optional_objects_evaluate_without_touching_none() -> None:
    compiled = compile_expression(
        "member.coverage is not None and member.coverage.end_date is not None"
        " and member.coverage.end_date < claim.date_of_service",
        SCHEMA,
    )
    ended = Member(coverage=Coverage(end_date=dt.date(2026, 2, 28)))
    assert compiled(*roots(member=Member())) is False
    assert compiled(*roots(member=Member(coverage=Coverage()))) is False
    assert compiled(*roots(member=ended)) is True


def test_not_on_an_optional_str_means_absent_or_empty() -> None:
    compiled = compile_expression("drug.pa_required and not claim.pa_number", SCHEMA)
    pa = Drug(pa_required=True)
    results = [compiled(*roots(Claim(pa_number=number), drug=pa)) for number in (None, "", "PA1")]
    assert results == [True, True, False]


def test_quantity_limit_guard() -> None:
    compiled = compile_expression(
        "drug.quantity_limit_units is not None and claim.quantity > drug.quantity_limit_units",
        SCHEMA,
    )
    limited = Drug(quantity_limit_units=Decimal(30))
    assert compiled(*roots(Claim(quantity=Decimal("30.001")), drug=limited)) is True
    assert compiled(*roots(Claim(quantity=Decimal(30)), drug=limited)) is False
    assert compiled(*roots(Claim(quantity=Decimal(1000)))) is False
