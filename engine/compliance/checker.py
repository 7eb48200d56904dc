"""The compliance checker: every check of a plan version against the mandates in force.

``check_plan`` is what publishing calls: it returns the binding failures, and an
empty answer is the proof a version may go live. ``review_plan`` returns every check
(passes, failures and advisories) for reports; ``compliance_report`` covers a selection
of loaded plan versions. All three are pure functions of the plan and the catalog
(the report date is passed in), so the HTTP service can serve them directly.

A plan is never passed by silence: when no federal rule set reaches it, when a rule
set has no figure for its plan year, or when one version spans two plan years, that
is itself a failing check.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from engine.catalog.catalog import Catalog, PlanRuntime
from engine.compliance.checks_drugs import (
    assistance_checks,
    drug_cap_checks,
    point_of_sale_checks,
)
from engine.compliance.checks_limits import aca_checks, hdhp_checks, part_d_checks
from engine.compliance.library import InForce, plan_year_of
from engine.compliance.results import CheckResult, ComplianceReport, PlanReport
from engine.plans.plan import Funding, Market, PlanVersion

__all__ = ["UnknownPlanError", "check_plan", "compliance_report", "review_plan", "select"]


class UnknownPlanError(ValueError):
    """A plan or plan version named for checking is not in the catalog."""


def _structural(plan: PlanVersion, in_force: InForce) -> list[CheckResult]:
    """Failures that mean nothing could prove the plan compliant."""
    results = []
    if not in_force.federal_sets:
        results.append(
            CheckResult(
                id="rules/federal",
                title="A federal rule set reaches the plan",
                passed=False,
                binding=True,
                value="none",
                limit="at least one",
                rule=None,
                citation=None,
                detail=f"no loaded federal rule set covers a {plan.type} plan in the "
                f"{plan.market} market: load rules/compliance",
            )
        )
    for gap in in_force.gaps:
        results.append(
            CheckResult(
                id=f"rules/gap/{gap.rule_set}/{gap.section or 'version'}",
                title="A figure exists for the plan year",
                passed=False,
                binding=True,
                value="no figure",
                limit=f"a figure for plan year {in_force.plan_year}",
                rule=gap.rule_set,
                citation=None,
                detail=gap.message,
            )
        )
    end = plan.effective.to
    if end is None or plan.plan_year_start_for(end) != in_force.plan_year:
        results.append(
            CheckResult(
                id="rules/one-plan-year",
                title="The version covers one plan year",
                passed=False,
                binding=True,
                value=f"{plan.effective.from_} to {end or 'open'}",
                limit=f"within the plan year starting {in_force.plan_year}",
                rule=None,
                citation=None,
                detail="mandate figures change each plan year: split the version by plan year",
            )
        )
    return results


def _notes(plan: PlanVersion, in_force: InForce) -> tuple[str, ...]:
    notes = []
    if in_force.out_of_pocket_limits:
        notes.append("grandfathered status is not modelled: the ACA limits are applied")
    if plan.market is Market.MEDICARE:
        notes.append("state mandates do not reach Medicare Part D")
    elif plan.funding is Funding.SELF_FUNDED:
        notes.append(
            f"state mandates do not reach self-funded ERISA plans: none checked "
            f"(situs {plan.situs_state})"
        )
    elif not any(rule_set.file.jurisdiction == "state" for rule_set in in_force.rule_sets):
        notes.append(f"no loaded state rule for {plan.situs_state}")
    if plan.non_formulary_tier is not None:
        notes.append("drugs off the formulary have no class: caps are checked on formulary drugs")
    if plan.daw_penalty is not None:
        notes.append("a DAW brand penalty the member chose is outside the caps checked")
    return tuple(notes)


def review_plan(plan: PlanVersion, catalog: Catalog) -> PlanReport:
    """Every check of one plan version (it need not be in the catalog yet)."""
    in_force = catalog.mandates.in_force(plan)
    checks = _structural(plan, in_force)
    checks += aca_checks(plan, in_force)
    checks += hdhp_checks(plan, in_force)
    checks += part_d_checks(plan, in_force)
    if in_force.drug_cost_share_caps:
        formulary = catalog.formulary(plan.formulary, in_force.plan_year)
        if formulary is None:
            checks.append(
                CheckResult(
                    id="rules/formulary",
                    title="The formulary is loaded for the plan year",
                    passed=False,
                    binding=True,
                    value="not loaded",
                    limit=f"formulary {plan.formulary} in effect on {in_force.plan_year}",
                    rule=None,
                    citation=None,
                    detail="caps are checked where the formulary puts the capped drugs",
                )
            )
        else:
            for mandate in in_force.drug_cost_share_caps:
                checks += drug_cap_checks(plan, mandate, formulary)
    checks += assistance_checks(plan, in_force.assistance_counts)
    checks += point_of_sale_checks(in_force.point_of_sale_limits)
    return PlanReport(
        plan=plan.plan,
        version=plan.version,
        name=plan.name,
        plan_year=plan_year_of(plan),
        type=plan.type.value,
        funding=plan.funding.value,
        market=plan.market.value,
        situs_state=plan.situs_state,
        checks=tuple(checks),
        rule_sets=tuple(rule_set.id for rule_set in in_force.rule_sets),
        notes=_notes(plan, in_force),
    )


def check_plan(plan: PlanVersion, catalog: Catalog) -> tuple[CheckResult, ...]:
    """The binding failures of a plan version: empty means it may be published."""
    return review_plan(plan, catalog).failures


def select(catalog: Catalog, names: Sequence[str] = ()) -> tuple[PlanRuntime, ...]:
    """Plan versions by ``PLAN`` (every version) or ``PLAN@VERSION``; none named: all."""
    if not names:
        return tuple(
            runtime for plan_id in sorted(catalog.plans) for runtime in catalog.plans[plan_id]
        )
    chosen: dict[str, PlanRuntime] = {}
    for name in names:
        plan_id, _, version = name.partition("@")
        versions = catalog.plan_versions(plan_id)
        picked = [r for r in versions if not version or r.plan.version == version]
        if not picked:
            known = ", ".join(sorted(catalog.plans)) or "none"
            raise UnknownPlanError(f"no plan version {name!r} is loaded (plans: {known})")
        chosen.update((runtime.id, runtime) for runtime in picked)
    return tuple(chosen.values())


def compliance_report(
    catalog: Catalog, names: Sequence[str], generated: dt.date
) -> ComplianceReport:
    """The report on the named plan versions (all when none is named)."""
    return ComplianceReport(
        generated=generated,
        plans=tuple(review_plan(runtime.plan, catalog) for runtime in select(catalog, names)),
        rule_sets=catalog.mandates.ids,
    )
