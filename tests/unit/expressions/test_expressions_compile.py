"""Compiled callables: plain Python functions that can reach nothing but their roots."""

from __future__ import annotations

from decimal import Decimal

import pytest
from expression_schema import SCHEMA, Claim, Plan, roots

from engine.expressions import (
    BOOL,
    CompiledExpression,
    ExpressionError,
    ExpressionEvaluationError,
    ExpressionSyntaxError,
    UnknownNameError,
    compile_expression,
)
from engine.sourcefile import SourceRef

ATTACKS = [
    ("__import__('os').system('echo hi')", ExpressionSyntaxError),
    ("().__class__.__bases__[0].__subclasses__()", ExpressionSyntaxError),
    ("claim.__class__", ExpressionSyntaxError),
    ("claim.__dict__", ExpressionSyntaxError),
    ("claim.__init__.__globals__", ExpressionSyntaxError),
    ("claim.ndc.join('x')", ExpressionSyntaxError),
    ("(lambda: 0)()", ExpressionSyntaxError),
    ("[c for c in ().__class__.__mro__]", ExpressionSyntaxError),
    ("open('/etc/passwd')", UnknownNameError),
    ("eval('1')", UnknownNameError),
    ("exec('1')", UnknownNameError),
    ("getattr(claim, 'ndc')", UnknownNameError),
    ("globals()", UnknownNameError),
    ("breakpoint()", UnknownNameError),
    ("compile", UnknownNameError),
    ("_k0", ExpressionSyntaxError),
]


@pytest.mark.parametrize(("text", "error"), ATTACKS)
def test_nothing_outside_the_whitelist_compiles(text: str, error: type[ExpressionError]) -> None:
    with pytest.raises(error):
        compile_expression(text, SCHEMA)


def test_the_callable_has_no_builtins_and_takes_the_roots_in_schema_order() -> None:
    compiled = compile_expression(
        "days_between(claim.date_of_service, claim.date_of_service) < 1", SCHEMA
    )
    code = compiled.fn.__code__
    assert compiled.fn.__globals__ == {"__builtins__": {}}
    assert code.co_varnames[: code.co_argcount] == (
        "claim",
        "member",
        "plan",
        "drug",
        "pharmacy",
        "history",
    )
    assert set(code.co_names) == {"date_of_service"}


def test_non_inline_constants_and_functions_are_closure_cells() -> None:
    compiled = compile_expression("claim.quantity > 1.5 and claim.ndc in ('a', 'b')", SCHEMA)
    cells = {cell.cell_contents for cell in compiled.fn.__closure__ or ()}
    assert cells == {Decimal("1.5"), frozenset({"a", "b"})}


def test_compiled_expression_carries_what_it_was_built_from() -> None:
    where = SourceRef("rules/edits.yaml", 12, 11)
    compiled = compile_expression("claim.days_supply > plan.max_days_supply", SCHEMA, source=where)
    assert (compiled.text, compiled.result_type, compiled.source) == (
        "claim.days_supply > plan.max_days_supply",
        BOOL,
        where,
    )
    assert isinstance(compiled, CompiledExpression)
    assert compiled(*roots(Claim(days_supply=35))) is True
    assert compiled.fn(*roots(Claim(days_supply=34))) is False


def test_errors_render_at_the_source_position() -> None:
    where = SourceRef("plans/hmo.yaml", 42, 15)
    with pytest.raises(UnknownNameError) as caught:
        compile_expression("claim.day_supply > 3", SCHEMA, source=where)
    assert str(caught.value) == (
        "plans/hmo.yaml:42:15: unknown name 'claim.day_supply' (did you mean 'claim.days_supply'?)"
    )
    assert (caught.value.source, caught.value.column) == (where, 6)


def test_errors_without_a_source_render_the_column_for_humans() -> None:
    with pytest.raises(UnknownNameError) as caught:
        compile_expression("claim.day_supply > 3", SCHEMA)
    assert str(caught.value) == (
        "column 7: unknown name 'claim.day_supply' (did you mean 'claim.days_supply'?)"
    )


def test_errors_are_value_errors_so_pydantic_validators_report_them() -> None:
    assert issubclass(ExpressionError, ValueError)


def test_a_zero_divisor_in_the_data_is_an_evaluation_error_with_its_source() -> None:
    where = SourceRef("rules/edits.yaml", 7, 11)
    compiled = compile_expression(
        "claim.days_supply / plan.max_days_supply > 1", SCHEMA, source=where
    )
    with pytest.raises(ExpressionEvaluationError) as caught:
        compiled(*roots(plan=Plan(max_days_supply=0)))
    assert str(caught.value) == (
        "rules/edits.yaml:7:11: cannot evaluate 'claim.days_supply / plan.max_days_supply > 1':"
        " division by zero"
    )
