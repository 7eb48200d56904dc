"""``rxadj demo``: the scripted claims as a table, then every family's accumulators."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from api.commands.claims import load_runtime
from api.demo import DemoResult, run_demo
from engine.accumulators import FamilyKey, parse_amount_field
from engine.money import format_cents

__all__ = ["demo"]


def _money(cents: int | None) -> str:
    return "" if cents is None else format_cents(cents)


def _row(index: int, result: DemoResult) -> list[str]:
    if result.medical is not None:
        outcome = result.medical.outcome.value
        return [str(index), result.step.title, "MED", outcome, "", "", "", "", ""]
    if result.note is not None:
        return [str(index), result.step.title, "PA", result.note, "", "", "", "", ""]
    decision = result.decision
    assert decision is not None
    figures, remaining = decision.figures, decision.remaining
    rejects = " ".join(r.code.code for r in decision.rejects)
    cob = figures.cob if figures else None
    place = f"payer {cob.payer_seq} ({cob.method})" if cob else ""
    note = rejects or place or (figures.capped_by or "" if figures else "")
    return [
        str(index),
        result.step.title,
        f"{decision.transaction_code} {decision.status}",
        note,
        _money(figures.patient_pay) if figures else "",
        _money(figures.plan_pay) if figures else "",
        _money(figures.deductible) if figures else "",
        _money(remaining.deductible_remaining) if remaining else "",
        _money(remaining.out_of_pocket_remaining) if remaining else "",
    ]


def demo() -> None:
    """Adjudicate the scripted claims through the sample plans, on the embedded stores."""
    runtime = load_runtime(embedded=True)
    console = Console()
    table = Table(
        title="rxadj demo: real NCPDP D.0 claims through the sample plans", show_lines=False
    )
    for name, justify in (
        ("#", "right"),
        ("step", "left"),
        ("txn", "left"),
        ("rejects / limit", "left"),
        ("patient pays", "right"),
        ("plan pays", "right"),
        ("to deductible", "right"),
        ("deductible left", "right"),
        ("OOP left", "right"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    families: list[FamilyKey] = []
    for index, result in enumerate(run_demo(runtime), start=1):
        table.add_row(*_row(index, result))
        family = (
            result.decision.family
            if result.decision
            else (result.medical.family if result.medical else None)
        )
        if family is not None and family not in families:
            families.append(family)
    console.print(table)
    accumulators = Table(title="Accumulators after the demo (met amounts)")
    for name in (
        "family",
        "plan year from",
        "person",
        "deductible rx",
        "deductible medical",
        "OOP rx",
        "OOP medical",
    ):
        accumulators.add_column(name)
    for family in families:
        snapshot = runtime.processor.accumulators.snapshot(family)
        people: dict[str, dict[str, int]] = {}
        for name, cents in snapshot.amounts.items():
            bucket, person, source = parse_amount_field(name)
            people.setdefault(person, {})[f"{bucket}:{source}"] = cents
        for person, amounts in sorted(people.items()):
            accumulators.add_row(
                family.cardholder_id,
                family.plan_year.isoformat(),
                person,
                *(_money(amounts.get(k, 0)) for k in ("ded:rx", "ded:med", "oop:rx", "oop:med")),
            )
    console.print(accumulators)
