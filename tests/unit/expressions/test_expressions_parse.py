"""The whitelist: every allowed construct compiles, everything else is refused by name."""

from __future__ import annotations

import pytest
from expression_schema import SCHEMA

from engine.expressions import ExpressionSyntaxError, compile_expression

ACCEPTED = [
    "claim.days_supply > plan.max_days_supply",
    "drug.pa_required and not claim.pa_number",
    "drug.quantity_limit_units is not None and claim.quantity > drug.quantity_limit_units",
    "drug.min_age is not None and member.age < drug.min_age",
    "claim.ndc in plan.excluded_ndcs",
    "claim.ndc not in plan.excluded_ndcs",
    'pharmacy.channel == "mail" and claim.days_supply < 60',
    "claim.gross_amount_due > 1000",
    "history.last_fill_date is not None and history.last_days_supply is not None"
    " and days_between(history.last_fill_date, claim.date_of_service)"
    " < history.last_days_supply * plan.refill_threshold",
    "drug.pa_required or drug.tier >= 3",
    "0 < claim.days_supply <= 30",
    "claim.days_supply + 1 - 2 * 3 // 4 % 5 > claim.quantity / 2",
    "-claim.days_supply < 0",
    "claim.pa_number is None",
    "len(plan.mail_channels) == 2",
    "min(claim.days_supply, 30) == max(1, abs(-30))",
    "starts_with(claim.ndc, '00002')",
    "years_between(member.date_of_birth, claim.date_of_service) >= 18",
    "claim.quantity > 1.5",
    "drug.pa_required == True",
    "drug.pa_required != False",
    "pharmacy.channel in ('mail', 'specialty')",
    "pharmacy.channel in ['mail', 'specialty']",
    "pharmacy.channel in {'mail', 'specialty'}",
    "drug.tier in (1, -2, 3)",
    "(claim.days_supply if drug.pa_required else 30) > 10",
    "  claim.days_supply > 1",
]


@pytest.mark.parametrize("text", ACCEPTED)
def test_whitelisted_constructs_compile(text: str) -> None:
    assert compile_expression(text, SCHEMA).text == text


REFUSED = [
    ("lambda: 1", "lambda is not allowed", 0),
    ("[n for n in plan.excluded_ndcs]", "a comprehension is not allowed", 0),
    ("{n for n in plan.excluded_ndcs}", "a comprehension is not allowed", 0),
    ("any(n for n in plan.excluded_ndcs)", "a generator expression is not allowed", 3),
    ("claim.ndc[0] == '0'", "subscript '[...]' is not allowed", 0),
    ("(n := claim.days_supply) > 3", "assignment ':=' is not allowed", 1),
    ("f'{claim.ndc}' == 'x'", "an f-string is not allowed", 0),
    ("{'a': 1}", "a dict literal is not allowed", 0),
    ("max(*plan.mail_channels) == 'x'", "'*' unpacking is not allowed", 4),
    ("await claim.days_supply", "await is not allowed", 0),
    ("(yield)", "yield is not allowed", 1),
    ("claim.days_supply ** 2 > 4", "operator '**' is not allowed", 0),
    ("drug.pa_required & True", "operator '&' is not allowed (use 'and')", 0),
    ("drug.pa_required | True", "operator '|' is not allowed (use 'or')", 0),
    ("~drug.pa_required", "operator '~' is not allowed (use 'not')", 0),
    ("claim.days_supply << 2 > 1", "operator '<<' is not allowed", 0),
    ("+claim.days_supply > 1", "unary '+' is not allowed", 0),
    (
        "__import__('os')",
        "name '__import__' is not allowed: names starting with '_' are reserved",
        0,
    ),
    ("().__class__", "name '__class__' is not allowed: names starting with '_' are reserved", 3),
    ("claim.__dict__", "name '__dict__' is not allowed: names starting with '_' are reserved", 6),
    ("claim._private", "name '_private' is not allowed: names starting with '_' are reserved", 6),
    ("'abc'.upper == 1", "attribute '.upper' is allowed only on schema names", 6),
    (
        "claim.ndc.startswith('0')",
        "only named functions can be called, like 'days_between(a, b)'",
        0,
    ),
    ("days_between(start=claim.date_of_service)", "keyword arguments are not allowed", 0),
    ("claim.ndc == b'x'", "a bytes literal is not allowed", 13),
    ("claim.days_supply > 1j", "a complex number is not allowed", 20),
    ("claim.ndc == ...", "constant Ellipsis is not allowed", 13),
    (
        "claim.ndc in (claim.ndc, 'x')",
        "a collection literal may hold only constants, like ('mail', 'retail')",
        13,
    ),
    (
        "drug.tier in (1, +2)",
        "a collection literal may hold only constants, like ('mail', 'retail')",
        13,
    ),
    ("claim.days_supply >", "invalid syntax", 19),
    ("claim.days_supply = 3", "invalid syntax", 18),
    ("claim.days_supply if True", "expected 'else' after 'if' expression", 0),
    ("not " * 101 + "drug.pa_required", "expression is nested deeper than 100 levels", 400),
    ("-" * 5000 + "1", "expression is nested too deeply", 0),
    ("'é' == claim.ndc[0]", "subscript '[...]' is not allowed", 7),
]


@pytest.mark.parametrize(("text", "message", "column"), REFUSED)
def test_everything_else_is_refused_by_name(text: str, message: str, column: int) -> None:
    with pytest.raises(ExpressionSyntaxError) as caught:
        compile_expression(text, SCHEMA)
    assert (caught.value.message, caught.value.column) == (message, column)


def test_leading_whitespace_keeps_columns_in_the_original_text() -> None:
    with pytest.raises(ExpressionSyntaxError) as caught:
        compile_expression("   claim.ndc[0] == '0'", SCHEMA)
    assert caught.value.column == 3


def test_null_bytes_are_a_syntax_error() -> None:
    with pytest.raises(ExpressionSyntaxError, match="null bytes"):
        compile_expression("claim.ndc == 'a\x00'", SCHEMA)
