"""Rule sets of 10, 50, 100, 1,000 ... rules: the standard edits plus realistic variants.

Below 31 rules, a spread of the standard rules across the three phases; above, all
31 plus generated rules of the kinds plan analysts actually add: quantity limits by
NDC labeler and by drug class, age bands, days supply by channel, excluded NDC
sets, money ceilings, early-refill windows, clarification codes, specialty steering,
dependent and coverage-date checks. Thresholds vary with the rule's index, so every
rule is distinct, and they are tuned so that a few rules fire on some claims, as in
real traffic; some templates use optional values without a guard on purpose, to
catch engines that treat ``None`` differently.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable
from pathlib import Path

from engine.edits.backends import EditBackend
from engine.edits.compiled import CompiledEdits, compile_edits
from engine.edits.model import EditRule, EditSetFile
from engine.plans.plan import EditSetRef
from engine.sourcefile import SourceFileError, SourceRef, load_yaml, validate

__all__ = ["SIZES", "STANDARD", "compile_rule_set", "rule_set", "standard_edit_set"]

REPO = Path(__file__).resolve().parents[2]
STANDARD = REPO / "rules" / "edits" / "standard-2026.1.yaml"
SIZES = (10, 50, 100, 1000)
"""The rule counts the comparison reports."""

_LABELERS = ("9010010", "9010011", "9020020", "9030030", "9040040", "9050050", "9060060")
_CLASSES = ("statin", "diabetes", "insulin", "maintenance", "preventive", "specialty")
_CHANNELS = ("retail_30", "retail_90", "mail", "specialty")
_FORMULARY_NDCS = tuple(f"90100{n:06d}" for n in range(100001, 108801, 100))

_Template = Callable[[random.Random], tuple[str, str, str]]
"""(phase, condition, reject code) for one generated rule."""


def _templates() -> list[_Template]:
    def labeler_quantity(r: random.Random) -> tuple[str, str, str]:
        prefix = r.choice(_LABELERS)
        return (
            "benefit",
            f'starts_with(claim.ndc, "{prefix}") and claim.quantity > {r.randint(150, 900)}',
            "76",
        )

    def class_per_day(r: random.Random) -> tuple[str, str, str]:
        limit = r.randint(4, 12)
        return (
            "benefit",
            f'"{r.choice(_CLASSES)}" in drug.classes '
            f"and claim.quantity > {limit} * claim.days_supply",
            "76",
        )

    def age_band(r: random.Random) -> tuple[str, str, str]:
        low = r.randint(0, 80)
        return (
            "benefit",
            f"member.age >= {low} and member.age < {low + r.randint(1, 4)} "
            f"and drug.tier >= {r.randint(3, 5)}",
            "60",
        )

    def channel_days(r: random.Random) -> tuple[str, str, str]:
        channel = r.choice(_CHANNELS)
        return (
            "benefit",
            f'benefit.channel == "{channel}" and claim.days_supply > {r.randint(95, 200)}',
            "7X",
        )

    def excluded_ndcs(r: random.Random) -> tuple[str, str, str]:
        ndcs = ", ".join(f'"{ndc}"' for ndc in sorted(r.sample(_FORMULARY_NDCS, r.randint(2, 6))))
        return (
            "benefit",
            f"claim.ndc in ({ndcs}) and claim.days_supply > {r.randint(60, 120)}",
            "70",
        )

    def money_ceiling(r: random.Random) -> tuple[str, str, str]:
        dollars = f"{r.randint(8000, 40000)}.{r.randint(0, 99):02d}"
        return (
            "benefit",
            f"claim.gross_amount_due is not None and claim.gross_amount_due > {dollars}",
            "78",
        )

    def early_refill(r: random.Random) -> tuple[str, str, str]:
        return (
            "benefit",
            "history.last_fill_date is not None and "
            f"days_between(history.last_fill_date, claim.date_of_service) < {r.randint(1, 3)} "
            f"and drug.tier >= {r.randint(2, 4)}",
            "79",
        )

    def clarification(r: random.Random) -> tuple[str, str, str]:
        code = r.choice("1234567")
        return (
            "request",
            f'"{code}" in claim.submission_clarification_codes '
            f"and claim.days_supply > {r.randint(91, 200)}",
            "19",
        )

    def specialty_steering(r: random.Random) -> tuple[str, str, str]:
        return (
            "benefit",
            f'pharmacy.channel == "retail" and drug.tier >= {r.randint(5, 6)} '
            f"and claim.quantity > {r.randint(20, 80)}",
            "70",
        )

    def gender_unguarded(r: random.Random) -> tuple[str, str, str]:
        return (
            "benefit",
            f"member.gender != drug.gender and drug.tier == {r.randint(1, 5)} "
            f"and member.age > {r.randint(70, 95)}",
            "61",
        )

    def step_unguarded(r: random.Random) -> tuple[str, str, str]:
        cls = r.choice(_CLASSES)
        return (
            "benefit",
            f'drug.step_therapy not in ("{cls}", "none") '
            f"and claim.quantity > {r.randint(2000, 20000)}.5",
            "75",
        )

    def request_quantity(r: random.Random) -> tuple[str, str, str]:
        return (
            "request",
            f"claim.quantity > {r.randint(1000, 9000)}.25 "
            f"or claim.quantity * 3 == {r.randint(1, 9)}.75",
            "E7",
        )

    def written_long_ago(r: random.Random) -> tuple[str, str, str]:
        return (
            "request",
            "claim.date_written is not None and "
            f"days_between(claim.date_written, claim.date_of_service) > {r.randint(380, 700)}",
            "28",
        )

    def pa_missing(r: random.Random) -> tuple[str, str, str]:
        return (
            "request",
            f"not claim.pa_number and claim.days_supply > {r.randint(250, 365)} "
            'and claim.compound_code == "2"',
            "75",
        )

    def dependent_age(r: random.Random) -> tuple[str, str, str]:
        return (
            "eligibility",
            f'member.relationship == "{r.choice("34")}" and member.age >= {r.randint(24, 30)}',
            "66",
        )

    def near_termination(r: random.Random) -> tuple[str, str, str]:
        return (
            "eligibility",
            "member.coverage_end is not None and "
            f"days_between(claim.date_of_service, member.coverage_end) < {r.randint(-200, -60)}",
            "69",
        )

    def birth_mismatch(r: random.Random) -> tuple[str, str, str]:
        return (
            "eligibility",
            f"claim.date_of_birth != member.date_of_birth and member.age > {r.randint(60, 99)}",
            "09",
        )

    return [
        labeler_quantity,
        class_per_day,
        age_band,
        channel_days,
        excluded_ndcs,
        money_ceiling,
        early_refill,
        clarification,
        specialty_steering,
        gender_unguarded,
        step_unguarded,
        request_quantity,
        written_long_ago,
        pa_missing,
        dependent_age,
        near_termination,
        birth_mismatch,
    ]


@functools.cache
def standard_edit_set() -> EditSetFile:
    """The shipped standard edit set, validated as the catalog loader validates it."""
    model = validate(EditSetFile, load_yaml(STANDARD))
    assert isinstance(model, EditSetFile)
    return model


def _generated(count: int, seed: int) -> list[EditRule]:
    templates = _templates()
    rules = []
    for index in range(count):
        rng = random.Random(seed * 1_000_003 + index)
        phase, when, reject = templates[index % len(templates)](rng)
        rules.append(
            EditRule(
                id=f"generated-{index}",
                phase=phase,  # type: ignore[arg-type]
                when=when,
                reject=reject,
                message=f"generated rule {index}",
                priority=1000 + index,
            )
        )
    return rules


@functools.cache
def rule_set(count: int, seed: int = 2026) -> EditSetFile:
    """``count`` rules: a spread of the standard rules, or all of them plus generated ones."""
    standard = standard_edit_set()
    base = list(standard.rules)
    if count <= len(base):
        step = len(base) / count
        rules = [base[int(i * step)] for i in range(count)]
    else:
        rules = base + _generated(count - len(base), seed)
    return standard.model_copy(update={"rules": tuple(rules), "edit_set": f"bench-{count}"})


def compile_rule_set(edit_set: EditSetFile, backend: EditBackend = "compiled") -> CompiledEdits:
    """Compile (and, for another backend, translate) a rule set; any issue is an error."""
    ref = EditSetRef(name=edit_set.edit_set, version=edit_set.version)
    where = SourceRef(f"<{edit_set.edit_set}>", 1, 1)
    edits, issues = compile_edits(edit_set, ref, lambda _: where, where, backend)
    if edits is None:
        raise SourceFileError(issues)
    return edits
