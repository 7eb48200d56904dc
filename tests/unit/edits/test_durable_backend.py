"""The experimental durable_rules backend: translation traps, refusals, sessions, limits.

The differential test (``test_engine_differential.py``) proves agreement on the
generated rule sets; these tests pin the individual places where durable_rules'
semantics differ from Python's and the translation has to compensate, the rules it
must refuse at load time, and the limits its documentation states.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from api.runtime import build_runtime
from api.settings import Settings, SettingsError
from benchmarks.engines.claims import ClaimCase, generated_claims
from benchmarks.engines.rulesets import compile_rule_set, standard_edit_set
from engine.adjudication.processor import ClaimProcessor
from engine.catalog.loader import load_catalog
from engine.edits.durable_backend import DurableBackendError, DurableEdits
from engine.edits.model import PHASES, EditRule, EditSetFile
from engine.sourcefile import SourceFileError
from engine.store.memory import MemoryAccumulatorStore, MemoryClaimLedger

from conftest import catalog_paths_for_tests

REPO = Path(__file__).resolve().parents[3]
DAY = dt.date(2026, 3, 2)


def edit_set(*conditions: tuple[str, str]) -> EditSetFile:
    rules = tuple(
        EditRule(id=f"r-{i}", phase=phase, when=when, reject="70", message="m", priority=i)
        for i, (phase, when) in enumerate(conditions)
    )
    return standard_edit_set().model_copy(update={"rules": rules, "edit_set": "t"})


def variants() -> list[ClaimCase]:
    """The generated claims plus the values where Python and durable_rules part ways."""
    cases = list(generated_claims())
    base = cases[0]
    claim, member, plan, drug, pharmacy, benefit, history = base.benefit
    for changes, drug_changes in [
        ({"quantity": Decimal("30.5"), "gross_amount_due": 1251}, {"gender": None}),
        ({"quantity": Decimal("0.125"), "gross_amount_due": None}, {"gender": "F"}),
        ({"pa_number": "", "date_written": None}, {"classes": frozenset(), "gender": "M"}),
        ({"pa_number": "PA", "ndc": "90100100001"}, {"step_therapy": "statin"}),
        (
            {"days_supply": 30, "quantity": Decimal("30.6")},
            {"ql_units": Decimal("30.5"), "ql_days": 30},
        ),
        (
            {"days_supply": 30, "quantity": Decimal("30.5")},
            {"ql_units": Decimal("30.5"), "ql_days": 30},
        ),
    ]:
        c = replace(claim, **changes)
        d = replace(drug, **drug_changes)
        roots = (c, member, plan, d, pharmacy, benefit, history)
        cases.append(ClaimCase(f"variant-{len(cases)}", (c,), (c, member, plan), roots))
    return cases


TRAPS = [
    ("benefit", "member.gender != drug.gender"),
    ("benefit", "drug.gender == member.gender"),
    ("benefit", "drug.gender == drug.step_therapy"),
    ("benefit", "drug.gender != drug.step_therapy"),
    ("benefit", 'drug.step_therapy not in ("statin", "insulin")'),
    ("benefit", 'drug.step_therapy in ("statin",)'),
    ("benefit", 'not ("statin" in drug.classes)'),
    ("benefit", '"statin" not in drug.classes'),
    ("benefit", "not drug.classes"),
    ("benefit", "not claim.pa_number"),
    ("benefit", "not claim.date_written"),
    ("benefit", "claim.quantity * 3 == 91.5"),
    ("benefit", "claim.quantity > 30.25 and claim.quantity < 30.75"),
    ("benefit", "claim.quantity > claim.days_supply"),
    ("benefit", "claim.days_supply < claim.quantity"),
    (
        "benefit",
        "drug.ql_units is not None and drug.ql_days is not None"
        " and claim.quantity * drug.ql_days > drug.ql_units * claim.days_supply",
    ),
    ("benefit", "claim.gross_amount_due is not None and claim.gross_amount_due > 12.50"),
    ("benefit", "claim.usual_and_customary == claim.gross_amount_due"),
    ("request", "days_between(claim.date_of_service, claim.received_date) > 3"),
    (
        "benefit",
        "not (history.next_fill_date is not None"
        " and claim.date_of_service < history.next_fill_date)",
    ),
    ("request", 'starts_with(claim.ndc, "90100")'),
    ("request", "-claim.days_supply < -30 or claim.days_supply - 30 >= 0"),
    ("eligibility", "30 < member.age + 1 and member.covered"),
    ("benefit", "drug.min_age is not None and member.age + 1 > drug.min_age * 2"),
]


@pytest.mark.parametrize(("phase", "when"), TRAPS, ids=[t[1][:60] for t in TRAPS])
def test_trap_agrees_with_the_compiled_engine(phase: str, when: str) -> None:
    rules = edit_set((phase, when))
    compiled, durable = compile_rule_set(rules), compile_rule_set(rules, "durable")
    results = set()
    for case in variants():
        roots = case.roots(phase)
        expected = compiled.evaluate(phase, *roots)  # type: ignore[arg-type]
        assert durable.evaluate(phase, *roots) == expected, case.label  # type: ignore[arg-type]
        results.add(bool(expected))
    assert results == {True, False}, "the claims should reach both outcomes"


@pytest.mark.parametrize(
    ("when", "reason"),
    [
        ("len(claim.submission_clarification_codes) > 1", "no equivalent of len()"),
        ("claim.quantity / claim.days_supply > 2", "no exact '/'"),
        ("claim.days_supply % 7 == 0", "no exact '%'"),
        ('not starts_with(claim.ndc, "9")', "not under 'not'"),
        ('starts_with(claim.ndc, "9.")', "alphanumeric prefix"),
        (
            "claim.date_written is not None"
            " and years_between(claim.date_written, claim.date_of_service) > 1",
            "years_between()",
        ),
        ("(1 if claim.days_supply > 30 else 2) > 1", "no conditional expression"),
        ("claim.quantity > 1.0005", "more than three decimals"),
        (
            "claim.ndc in (" + ", ".join(f'"{n:011d}"' for n in range(513)) + ")",
            "more than 512 alternatives",
        ),
    ],
)
def test_rules_durable_cannot_express_are_refused_at_load(when: str, reason: str) -> None:
    rules = edit_set(("request", "claim.days_supply > 400"), ("request", when))
    compile_rule_set(rules)
    with pytest.raises(SourceFileError) as caught:
        compile_rule_set(rules, "durable")
    (issue,) = caught.value.issues
    assert "rule r-1: durable backend:" in issue.message
    assert reason in issue.message


def test_rejects_come_in_priority_order_exactly_as_compiled() -> None:
    standard = standard_edit_set()
    compiled, durable = compile_rule_set(standard), compile_rule_set(standard, "durable")
    assert isinstance(durable, DurableEdits)
    assert durable.id == compiled.id
    assert {p: [r.id for r in rules] for p, rules in durable.phases.items()} == {
        p: [r.id for r in rules] for p, rules in compiled.phases.items()
    }
    for case in generated_claims():
        for phase in PHASES:
            roots = case.roots(phase)
            assert durable.evaluate(phase, *roots) == compiled.evaluate(phase, *roots)


def test_each_claim_is_retracted_so_the_session_stays_empty() -> None:
    durable = compile_rule_set(standard_edit_set(), "durable")
    assert isinstance(durable, DurableEdits)
    for _ in range(3):
        for case in generated_claims():
            for phase in PHASES:
                durable.evaluate(phase, *case.roots(phase))  # type: ignore[arg-type]
    assert [session.pending_facts() for session in durable.durable.values()] == [0, 0, 0]


def test_a_claim_matching_too_many_rules_is_error_303() -> None:
    case = generated_claims()[0]
    many = edit_set(*[("request", f"claim.days_supply > {-1 - i}") for i in range(100)])
    durable = compile_rule_set(many, "durable")
    with pytest.raises(DurableBackendError, match="error 303 ERR_MAX_STACK_SIZE"):
        durable.evaluate("request", *case.request)
    ten = edit_set(*[("request", f"claim.days_supply > {-1 - i}") for i in range(10)])
    assert len(compile_rule_set(ten, "durable").evaluate("request", *case.request)) == 10


def test_buckets_let_600_distinct_rules_compile() -> None:
    case = generated_claims()[0]
    rules = edit_set(*[("request", f"claim.quantity > {1000 + i}") for i in range(600)])
    durable = compile_rule_set(rules, "durable")
    assert durable.evaluate("request", *case.request) == []


def test_without_buckets_600_distinct_rules_never_finish_compiling() -> None:
    script = (
        "import sys\n"
        "from benchmarks.engines.rulesets import compile_rule_set, standard_edit_set\n"
        "from engine.edits.durable_backend import durable_edits\n"
        "from engine.edits.model import EditRule\n"
        "from engine.sourcefile import SourceRef\n"
        "rules = tuple(EditRule(id=f'r-{i}', phase='request', when=f'claim.quantity > {1000 + i}',"
        " reject='70', message='m', priority=i) for i in range(600))\n"
        "edits = standard_edit_set().model_copy(update={'rules': rules, 'edit_set': 't'})\n"
        "where = SourceRef('t', 1, 1)\n"
        "conditions = {r.id: r.when for r in rules}\n"
        "durable_edits(compile_rule_set(edits), conditions, lambda _: where, where, sys.maxsize)\n"
    )
    with pytest.raises(subprocess.TimeoutExpired):
        subprocess.run(
            [sys.executable, "-c", script], cwd=REPO, capture_output=True, timeout=5, check=False
        )


def test_the_backend_is_chosen_by_configuration() -> None:
    assert Settings.from_env({}).edit_backend == "compiled"
    assert Settings.from_env({"RXADJ_EDIT_BACKEND": "durable"}).edit_backend == "durable"
    with pytest.raises(SettingsError, match="RXADJ_EDIT_BACKEND='drools'"):
        Settings.from_env({"RXADJ_EDIT_BACKEND": "drools"})
    runtime = build_runtime(Settings.from_env({"RXADJ_EDIT_BACKEND": "durable"}), embedded=True)
    assert all(
        isinstance(version.edits, DurableEdits)
        for versions in runtime.catalog.plans.values()
        for version in versions
    )


def test_claims_adjudicate_the_same_through_either_backend(claim) -> None:
    paths = catalog_paths_for_tests()
    processors = [
        ClaimProcessor(load_catalog(paths, backend), MemoryAccumulatorStore(), MemoryClaimLedger())
        for backend in ("compiled", "durable")
    ]
    claims = [
        claim("ZZT100001", "001", "11111111101", 1),
        claim("ZZT100001", "001", "11111111101", 2, days_supply=0),
        claim("ZZT100001", "001", "11111111101", 3, daw="X", fill_number=3, refills_authorized=2),
        claim("ZZT100002", "001", "11111111101", 4),
        claim("ZZT100001", "004", "11111111101", 5),
        claim("ZZT100001", "003", "88888888801", 6, quantity=200, days_supply=100),
        claim("ZZT100001", "002", "13131313101", 7),
        claim("ZZT100001", "001", "99999999901", 8),
    ]
    for request in claims:
        first, second = (p.process(request, DAY) for p in processors)
        assert (first.status, first.rejects) == (second.status, second.rejects)
        assert first.figures == second.figures
