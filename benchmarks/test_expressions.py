"""Compiled rule conditions: one predicate, and a rule set of 30 against one claim.

Run: .venv/bin/python -m pytest benchmarks/test_expressions.py --benchmark-columns=median,mean,ops
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from engine.expressions import (
    BOOL,
    DATE,
    DECIMAL,
    INT,
    MONEY,
    STR,
    CompiledExpression,
    ObjectType,
    Schema,
    compile_expression,
    optional,
    set_of,
)

SCHEMA = Schema(
    {
        "claim": ObjectType(
            {
                "days_supply": INT,
                "quantity": DECIMAL,
                "ndc": STR,
                "pa_number": optional(STR),
                "gross_amount_due": MONEY,
                "date_of_service": DATE,
                "daw": STR,
                "clarification_codes": set_of(STR),
            }
        ),
        "member": ObjectType({"age": INT, "gender": STR, "relationship": STR}),
        "plan": ObjectType(
            {
                "max_days_supply": INT,
                "excluded_ndcs": set_of(STR),
                "refill_threshold": DECIMAL,
                "dependent_max_age": optional(INT),
            }
        ),
        "drug": ObjectType(
            {
                "pa_required": BOOL,
                "quantity_limit_units": optional(DECIMAL),
                "min_age": optional(INT),
                "max_age": optional(INT),
                "gender": optional(STR),
                "tier": INT,
                "brand": BOOL,
                "on_formulary": BOOL,
            }
        ),
        "pharmacy": ObjectType({"channel": STR, "in_network": BOOL}),
        "history": ObjectType(
            {"last_fill_date": optional(DATE), "last_days_supply": optional(INT)}
        ),
    }
)


@dataclass(slots=True)
class Claim:
    days_supply: int = 30
    quantity: Decimal = Decimal(60)
    ndc: str = "00002143380"
    pa_number: str | None = None
    gross_amount_due: int = 12_500
    date_of_service: dt.date = dt.date(2026, 3, 1)
    daw: str = "0"
    clarification_codes: frozenset[str] = frozenset()


@dataclass(slots=True)
class Member:
    age: int = 40
    gender: str = "F"
    relationship: str = "1"


@dataclass(slots=True)
class Plan:
    max_days_supply: int = 34
    excluded_ndcs: frozenset[str] = frozenset({"99999999999"})
    refill_threshold: Decimal = Decimal("0.75")
    dependent_max_age: int | None = 26


@dataclass(slots=True)
class Drug:
    pa_required: bool = False
    quantity_limit_units: Decimal | None = Decimal(90)
    min_age: int | None = 12
    max_age: int | None = None
    gender: str | None = None
    tier: int = 2
    brand: bool = False
    on_formulary: bool = True


@dataclass(slots=True)
class Pharmacy:
    channel: str = "retail"
    in_network: bool = True


@dataclass(slots=True)
class History:
    last_fill_date: dt.date | None = dt.date(2026, 2, 1)
    last_days_supply: int | None = 30


ROOTS = (Claim(), Member(), Plan(), Drug(), Pharmacy(), History())

RULES = [
    "claim.days_supply > plan.max_days_supply",
    "drug.pa_required and not claim.pa_number",
    "drug.quantity_limit_units is not None and claim.quantity > drug.quantity_limit_units",
    "drug.min_age is not None and member.age < drug.min_age",
    "drug.max_age is not None and member.age > drug.max_age",
    "drug.gender is not None and member.gender != drug.gender",
    "claim.ndc in plan.excluded_ndcs",
    "pharmacy.channel == 'mail' and claim.days_supply < 60",
    "claim.gross_amount_due > 1000",
    "history.last_fill_date is not None and history.last_days_supply is not None"
    " and days_between(history.last_fill_date, claim.date_of_service)"
    " < history.last_days_supply * plan.refill_threshold",
    "not drug.on_formulary",
    "not pharmacy.in_network",
    "claim.days_supply <= 0",
    "claim.quantity <= 0",
    "drug.brand and claim.daw == '0' and drug.tier >= 3",
    "claim.daw in ('1', '2') and not drug.brand",
    "pharmacy.channel == 'specialty' and drug.tier < 4",
    "'7' in claim.clarification_codes and claim.days_supply > 90",
    "plan.dependent_max_age is not None and member.relationship == '3'"
    " and member.age > plan.dependent_max_age",
    "claim.gross_amount_due > 250 and drug.tier == 1",
    "claim.quantity / claim.days_supply > 6",
    "claim.days_supply > 34 and pharmacy.channel == 'retail'",
    "member.age >= 120",
    "starts_with(claim.ndc, '99999')",
    "len(claim.clarification_codes) > 3",
    "drug.tier not in (1, 2, 3, 4, 5)",
    "claim.gross_amount_due * 2 > 50000",
    "min(claim.days_supply, plan.max_days_supply) < 1",
    "member.gender not in ('F', 'M', 'U')",
    "claim.days_supply > 365",
]


@pytest.fixture(scope="module")
def rules() -> list[CompiledExpression]:
    return [compile_expression(text, SCHEMA) for text in RULES]


def test_rule_set_has_thirty_rules(rules: list[CompiledExpression]) -> None:
    assert len(rules) == 30


def test_typical_predicate(benchmark: BenchmarkFixture) -> None:
    predicate = compile_expression("claim.days_supply > plan.max_days_supply", SCHEMA).fn
    assert benchmark(predicate, *ROOTS) is False


def test_typical_predicate_through_compiled_expression(benchmark: BenchmarkFixture) -> None:
    predicate = compile_expression("claim.days_supply > plan.max_days_supply", SCHEMA)
    assert benchmark(predicate, *ROOTS) is False


def test_refill_too_soon_predicate(benchmark: BenchmarkFixture) -> None:
    predicate = compile_expression(RULES[9], SCHEMA).fn
    assert benchmark(predicate, *ROOTS) is False


def test_thirty_predicates_against_one_claim(
    benchmark: BenchmarkFixture, rules: list[CompiledExpression]
) -> None:
    conditions = [rule.fn for rule in rules]

    def evaluate_all() -> list[int]:
        return [index for index, condition in enumerate(conditions) if condition(*ROOTS)]

    assert benchmark(evaluate_all) == []


def test_compiling_one_predicate(benchmark: BenchmarkFixture) -> None:
    compiled = benchmark(compile_expression, RULES[9], SCHEMA)
    assert compiled(*ROOTS) is False
