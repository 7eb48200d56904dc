"""What a plan's tests leave untested: cost-share cells, edits and benefit features.

A test file that never reaches a tier in a channel, never trips an edit, never meets
the deductible or the out-of-pocket maximum, says nothing about them. This report
lists, per plan version, every cost-share cell, edit rule and feature of the plan
that no scenario exercised, so an analyst knows what the tests do not prove.

Caps count per drug class: a plan's own cap and a mandate's for the same drugs are
one feature, since on a tie the plan's cap is the one named and the mandate's could
never show.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from engine.adjudication.decision import Decision, Status
from engine.catalog.catalog import Catalog
from engine.plantests.runner import ScenarioResult

__all__ = ["PlanCoverage", "coverage"]


@dataclass(frozen=True, slots=True)
class PlanCoverage:
    """The untested parts of one plan version."""

    plan: str
    version: str
    cost_share: tuple[str, ...]
    edits: tuple[str, ...]
    features: tuple[str, ...]

    @property
    def complete(self) -> bool:
        """Everything exercised."""
        return not (self.cost_share or self.edits or self.features)


def _features(
    decisions: list[Decision], plan_has: dict[str, bool], cap_labels: dict[str, str]
) -> list[str]:
    paid = [d for d in decisions if d.status == Status.PAID and d.figures is not None]
    seen = {
        "deductible applied": any(d.figures.deductible for d in paid),  # type: ignore[union-attr]
        "out-of-pocket maximum reached": any(
            d.remaining is not None and d.remaining.out_of_pocket_remaining == 0 for d in paid
        ),
        "brand penalty (DAW)": any(d.figures.product_selection for d in paid),  # type: ignore[union-attr]
        "family limit reached": any(
            d.remaining is not None and d.remaining.deductible_family_remaining == 0 for d in paid
        ),
    }
    for d in paid:
        if d.figures is not None and d.figures.capped_by in cap_labels:
            seen[cap_labels[d.figures.capped_by]] = True
    return sorted(name for name, present in plan_has.items() if present and not seen.get(name))


def coverage(catalog: Catalog, results: Iterable[ScenarioResult]) -> list[PlanCoverage]:
    """The coverage of each plan version that has scenarios among ``results``."""
    by_version: dict[tuple[str, str], list[Decision]] = {}
    for result in results:
        by_version.setdefault((result.plan, result.version), []).extend(result.decisions)
    report = []
    for (plan_id, version), decisions in sorted(by_version.items()):
        runtime = next(
            (r for r in catalog.plan_versions(plan_id) if r.plan.version == version), None
        )
        if runtime is None:
            continue
        plan = runtime.plan
        cells = {
            f"tier {tier} {channel.value}"
            for tier, channels in plan.cost_share.items()
            for channel in channels
        }
        used = {
            f"tier {d.tier} {d.channel}"
            for d in decisions
            if d.status == Status.PAID and d.tier is not None
        }
        fired = {r.rule for d in decisions for r in d.rejects if r.rule}
        rules = {rule.id for phase in runtime.edits.phases.values() for rule in phase}
        cap_labels = {
            cap.label: f"cost-sharing cap on {', '.join(sorted(cap.classes))}"
            for cap in runtime.mandates.caps
        }
        plan_has = {
            "deductible applied": plan.deductible is not None,
            "out-of-pocket maximum reached": True,
            "brand penalty (DAW)": plan.daw_penalty is not None,
            "family limit reached": plan.deductible is not None
            and plan.deductible.family is not None,
            **dict.fromkeys(cap_labels.values(), True),
        }
        report.append(
            PlanCoverage(
                plan=plan_id,
                version=version,
                cost_share=tuple(sorted(cells - used)),
                edits=tuple(sorted(rules - fired)),
                features=tuple(_features(decisions, plan_has, cap_labels)),
            )
        )
    return report
