"""Tolerance rules: loading with file:line errors, versions by date, the exact boundaries."""

import datetime as dt
from pathlib import Path

import pytest

from engine.reconcile.tolerance import BUILT_IN, RemitFacts, load_tolerances
from engine.sourcefile import SourceFileError

DATA = Path(__file__).resolve().parents[2] / "data" / "reconcile"
DAY = dt.date(2026, 4, 10)


def _book(tmp_path, text, name="t.yaml"):
    (tmp_path / name).write_text(text, encoding="utf-8")
    return load_tolerances([tmp_path])


BASE = """kind: tolerances
tolerances: t
version: "1"
effective: {from: 2026-01-01}
default: {minimum_share: 95%, maximum_difference: 75.00}
"""


def test_the_cram21_example_500_paid_485_is_accepted():
    rule = load_tolerances([DATA]).rule_for(DAY, RemitFacts("777777", "S", "COMM"))
    assert rule.accepts(50_000, 48_500)
    assert rule.version == "test-receivables 1: default"


@pytest.mark.parametrize(
    ("due", "paid", "accepted"),
    [
        (50_000, 47_500, True),  # exactly 95%
        (50_000, 47_499, False),  # one cent below 95%
        (200_000, 192_500, True),  # exactly $75.00 short (96.25%)
        (200_000, 192_499, False),  # $75.01 short
        (100, 95, True),
        (100, 94, False),
    ],
)
def test_default_boundaries_are_exact(due, paid, accepted):
    rule = load_tolerances([DATA]).rule_for(DAY, RemitFacts("777777", "S", "COMM"))
    assert rule.accepts(due, paid) is accepted


def test_the_payers_own_rule_wins_over_the_default():
    book = load_tolerances([DATA])
    rule = book.rule_for(DAY, RemitFacts("610014", "S", "MEDD"))
    assert rule.version == "test-receivables 1: payer 610014"
    assert rule.accepts(50_000, 49_000)
    assert not rule.accepts(50_000, 48_999)  # the default (95%) would accept it
    assert book.rule_for(DAY, RemitFacts("777777", "S", "MEDD")).accepts(50_000, 48_999)
    assert rule.accepts(125_000, 122_500)  # 98% and $25.00 exactly
    assert not rule.accepts(125_001, 122_500)


def test_no_rule_in_force_means_the_built_in_defaults_accepting_anything(tmp_path):
    book = _book(tmp_path, BASE.replace("2026-01-01", "2027-01-01"))
    rule = book.rule_for(DAY, RemitFacts("1", "S", "B"))
    assert rule is BUILT_IN
    assert (rule.minimum_ppm, rule.maximum_difference) == (0, 999_999)
    assert rule.accepts(999_999, 0)
    assert "no tolerance rule is set" in book.describe(DAY)
    assert load_tolerances([]).rule_for(DAY, RemitFacts("1", "S", "B")) is BUILT_IN


def test_conditions_use_the_expression_engine(tmp_path):
    book = _book(
        tmp_path,
        BASE
        + """payers:
  - payer: "9"
    when: remit.billing_method == "MEDICAID"
    minimum_share: 100%
    maximum_difference: 0
  - payer: "9"
    minimum_share: 90%
    maximum_difference: 10.00
""",
    )
    medicaid = book.rule_for(DAY, RemitFacts("9", "S", "MEDICAID"))
    assert medicaid.version == "t 1: payer 9 (payers[0])"
    assert book.rule_for(DAY, RemitFacts("9", "S", "COMM")).version == "t 1: payer 9"


def test_errors_name_file_and_line(tmp_path):
    text = (
        BASE.replace("95%", "95")
        + """payers:
  - payer: "9"
    when: remit.billing_metod == "X"
    minimum_share: 100%
    maximum_difference: 0
exception_codes: [CO16]
"""
    )
    with pytest.raises(SourceFileError) as caught:
        _book(tmp_path, text)
    lines = [str(issue) for issue in caught.value.issues]
    assert any(":5:" in line and "%" in line for line in lines), lines
    assert any(":11:" in line and "CO16" in line for line in lines), lines


def test_a_condition_error_names_its_line_and_the_name_meant(tmp_path):
    text = (
        BASE
        + """payers:
  - payer: "9"
    when: remit.billing_metod == "X"
    minimum_share: 100%
    maximum_difference: 0
"""
    )
    with pytest.raises(SourceFileError) as caught:
        _book(tmp_path, text)
    (issue,) = caught.value.issues
    assert issue.ref.line == 8
    assert "billing_metod" in issue.message
    assert "billing_method" in issue.message


def test_overlapping_versions_are_refused(tmp_path):
    (tmp_path / "a.yaml").write_text(BASE, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(BASE.replace('version: "1"', 'version: "2"'), encoding="utf-8")
    with pytest.raises(SourceFileError, match="overlap"):
        load_tolerances([tmp_path])


def test_shares_finer_than_a_millionth_are_refused(tmp_path):
    with pytest.raises(SourceFileError, match="four decimals"):
        _book(tmp_path, BASE.replace("95%", "95.123456%"))


def test_the_shipped_rules_load():
    book = load_tolerances([Path(__file__).resolve().parents[3] / "rules"])
    assert book.in_force(DAY) is not None
