"""The whitelisted functions, and how engine code adds its own."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from expression_schema import SCHEMA, Claim, roots

from engine.expressions import (
    INT,
    FunctionSpec,
    ObjectType,
    Schema,
    UnknownNameError,
    compile_expression,
    register_function,
)
from engine.expressions.functions import days_between, starts_with, years_between


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (dt.date(2026, 1, 1), dt.date(2026, 3, 1), 59),
        (dt.date(2024, 1, 1), dt.date(2024, 3, 1), 60),
        (dt.date(2026, 3, 1), dt.date(2026, 1, 1), -59),
        (dt.date(2026, 3, 1), dt.date(2026, 3, 1), 0),
    ],
)
def test_days_between(start: dt.date, end: dt.date, days: int) -> None:
    assert days_between(start, end) == days


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (dt.date(1986, 3, 2), dt.date(2026, 3, 1), 39),
        (dt.date(1986, 3, 2), dt.date(2026, 3, 2), 40),
        (dt.date(2000, 2, 29), dt.date(2001, 2, 28), 0),
        (dt.date(2000, 2, 29), dt.date(2001, 3, 1), 1),
        (dt.date(2000, 2, 29), dt.date(2004, 2, 29), 4),
        (dt.date(2000, 2, 29), dt.date(2004, 2, 28), 3),
        (dt.date(2026, 3, 1), dt.date(1986, 3, 2), -39),
        (dt.date(2026, 6, 1), dt.date(2025, 7, 1), 0),
    ],
)
def test_years_between_counts_birthdays(born: dt.date, on: dt.date, age: int) -> None:
    assert years_between(born, on) == age


def test_starts_with() -> None:
    assert (starts_with("00002143380", "00002"), starts_with("00002", "1")) == (True, False)


def test_age_edit_from_date_of_birth() -> None:
    compiled = compile_expression(
        "years_between(member.date_of_birth, claim.date_of_service) < 40", SCHEMA
    )
    day_before = Claim(date_of_service=dt.date(2026, 3, 1))
    birthday = Claim(date_of_service=dt.date(2026, 3, 2))
    assert (compiled(*roots(day_before)), compiled(*roots(birthday))) == (True, False)


def test_a_schema_can_carry_its_own_functions() -> None:
    double = FunctionSpec("double", lambda value: 2 * value, (INT,), INT)
    schema = Schema({"claim": ObjectType({"days_supply": INT})}, functions={"double": double})
    compiled = compile_expression("double(claim.days_supply) > 50", schema)
    assert compiled(Claim(days_supply=26)) is True
    with pytest.raises(UnknownNameError):
        compile_expression("days_between(claim.days_supply, claim.days_supply) > 1", schema)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("days_between", "function 'days_between' is already registered"),
        ("len", "function 'len' is already registered"),
        ("_hidden", "function name '_hidden' is not a public identifier"),
        ("not", "function name 'not' is not a public identifier"),
    ],
)
def test_register_function_refuses_clashes_and_bad_names(name: str, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        register_function(name, abs, (INT,), INT)


@pytest.mark.parametrize(
    ("roots_", "message"),
    [
        ({"len": ObjectType({})}, "root name 'len' is also a function name"),
        ({"_claim": ObjectType({})}, "root name '_claim' is not a public identifier"),
    ],
)
def test_schema_refuses_unusable_root_names(roots_: dict[str, ObjectType], message: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        Schema(roots_)


def test_object_types_refuse_private_attributes() -> None:
    message = "attribute name '__dict__' is not a public identifier"
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        ObjectType({"__dict__": INT})
