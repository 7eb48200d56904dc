"""Running plan tests: each scenario on fresh embedded stores, nothing persisted.

A scenario's family is made up for it (its own cardholder id) and covered by the plan
under test from the plan version's start; the accumulators it states are seeded, its
prior authorizations are put on file, its earlier claims are processed, then each
claim is adjudicated through the real processor — the same screening, edits,
pricing and cost share as production — and compared, field by field, with what the
test file expects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

from engine.accumulators import (
    DEDUCTIBLE,
    MEDICAL,
    OUT_OF_POCKET,
    PHARMACY,
    AccumulatorTxn,
    FamilyKey,
)
from engine.accumulators import amount_field as field_name
from engine.adjudication.decision import Decision
from engine.adjudication.processor import ClaimProcessor
from engine.catalog.catalog import Catalog, MemoryMemberDirectory, PlanRuntime
from engine.claim import ClaimRequest
from engine.money import format_cents
from engine.plans.members import Coverage, Family, Person
from engine.plantests.model import ClaimSpec, Expectation, PlanTestFile, Scenario
from engine.priorauth.directory import MemoryPriorAuthDirectory
from engine.priorauth.model import prior_auth_from_model
from engine.store.memory import MemoryAccumulatorStore, MemoryClaimLedger

__all__ = [
    "ClaimOutcome",
    "Mismatch",
    "ScenarioResult",
    "TestFile",
    "run_plan_tests",
    "select_tests",
]

_UNKNOWN_NPI = "1999999991"

TestFile = tuple[PlanTestFile, tuple[Scenario, ...], str]
"""A test file, all its scenarios (YAML and CSV) and where it came from."""
_MONEY_FIELDS = (
    "patient_pay",
    "plan_pay",
    "deductible",
    "copay",
    "coinsurance",
    "penalty",
    "remaining_deductible",
    "remaining_out_of_pocket",
)


@dataclass(frozen=True, slots=True)
class Mismatch:
    """One field whose actual value differs from the expected one (as the file writes it)."""

    field: str
    expected: str
    actual: str


@dataclass(frozen=True, slots=True)
class ClaimOutcome:
    """One checked claim: its decision and every mismatch (none when it passed)."""

    index: int
    decision: Decision
    mismatches: tuple[Mismatch, ...]

    @property
    def passed(self) -> bool:
        """No field differs."""
        return not self.mismatches


@dataclass(frozen=True, slots=True)
class ScenarioResult:
    """A scenario's outcome: every claim checked, or why it could not run."""

    plan: str
    version: str
    name: str
    source: str
    claims: tuple[ClaimOutcome, ...] = ()
    problems: tuple[str, ...] = ()
    decisions: tuple[Decision, ...] = field(default=(), compare=False)

    @property
    def passed(self) -> bool:
        """Every claim as expected, and nothing kept the scenario from running."""
        return not self.problems and all(c.passed for c in self.claims)


def _money(cents: int | None) -> str:
    return "absent" if cents is None else format_cents(cents)


def _actual(decision: Decision, name: str) -> int | None:
    figures, remaining = decision.figures, decision.remaining
    if name == "remaining_deductible":
        return remaining.deductible_remaining if remaining else None
    if name == "remaining_out_of_pocket":
        return remaining.out_of_pocket_remaining if remaining else None
    if figures is None:
        return None
    attribute = "product_selection" if name == "penalty" else name
    value: int = getattr(figures, attribute)
    return value


def compare(decision: Decision, expected: Expectation) -> tuple[Mismatch, ...]:
    """Every field the expectation states that the decision does not match."""
    found: list[Mismatch] = []
    if decision.status != expected.status:
        found.append(Mismatch("status", expected.status, decision.status))
    codes = tuple(r.code.code for r in decision.rejects)
    if expected.rejects is not None and codes != expected.rejects:
        found.append(
            Mismatch("rejects", " ".join(expected.rejects) or "none", " ".join(codes) or "none")
        )
    for name in _MONEY_FIELDS:
        want = getattr(expected, name)
        if want is not None and _actual(decision, name) != want:
            found.append(Mismatch(name, _money(want), _money(_actual(decision, name))))
    if expected.capped_by is not None:
        actual = decision.figures.capped_by if decision.figures else None
        if actual != expected.capped_by:
            found.append(Mismatch("capped_by", expected.capped_by, str(actual)))
    return tuple(found)


class _Scene:
    """One scenario's made-up family, stores and claim numbering."""

    def __init__(
        self, runtime: PlanRuntime, catalog: Catalog, scenario: Scenario, number: int, day: dt.date
    ) -> None:
        self.runtime = runtime
        self.catalog = catalog
        self.scenario = scenario
        self.day = day
        self.cardholder = f"TEST{number:06d}"
        plan = runtime.plan
        spec = scenario.family
        persons = {
            p.person_code: Person(
                p.person_code, p.relationship, "TEST", "MEMBER", p.date_of_birth, p.gender
            )
            for p in spec.persons
        }
        coverage = Coverage(
            plan.plan,
            plan.routing.groups[0],
            spec.coverage_start or plan.effective.from_,
            spec.coverage_end,
            frozenset(code for code in persons if code not in spec.uncovered),
        )
        members = MemoryMemberDirectory(
            {self.cardholder: Family(self.cardholder, persons, (coverage,))}
        )
        self.store = MemoryAccumulatorStore()
        approvals = MemoryPriorAuthDirectory(
            replace(
                prior_auth_from_model(spec.model(self.cardholder)),
                revoked_on=spec.revoked_on,
                revoked_by="plan test" if spec.revoked_on else None,
            )
            for spec in scenario.prior_authorizations
        )
        self.processor = ClaimProcessor(
            catalog, self.store, MemoryClaimLedger(), members, prior_auths=approvals
        )
        self.persons = persons
        self._rx = 0

    def seed(self) -> None:
        deltas: dict[str, int] = {}
        for person, met in self.scenario.accumulators.items():
            for bucket, source, cents in (
                (DEDUCTIBLE, PHARMACY, met.deductible),
                (OUT_OF_POCKET, PHARMACY, met.out_of_pocket),
                (DEDUCTIBLE, MEDICAL, met.medical_deductible),
                (OUT_OF_POCKET, MEDICAL, met.medical_out_of_pocket),
            ):
                if cents:
                    deltas[field_name(bucket, person, source)] = cents
        if deltas:
            plan_year = self.runtime.plan.plan_year_start_for(self.day)
            self.store.apply(
                FamilyKey(self.cardholder, plan_year),
                AccumulatorTxn("scenario-accumulators", deltas),
                None,
            )

    def _npi(self, kind: str, day: dt.date) -> str:
        if len(kind) == 10 and kind.isdigit():
            return kind
        if kind == "unknown":
            return _UNKNOWN_NPI
        network = self.catalog.network(self.runtime.plan.network, day)
        for pharmacy in network.pharmacies.values() if network else ():
            if kind == "out_of_network" and not pharmacy.in_network:
                return pharmacy.npi
            if kind == pharmacy.channel and pharmacy.in_network:
                return pharmacy.npi
        raise ValueError(f"the plan's network has no {kind} pharmacy")

    def claim(self, spec: ClaimSpec) -> ClaimRequest:
        day = spec.date_of_service or self.day
        if spec.rx is None:
            self._rx += 1
        person = self.persons[spec.person]
        routing = self.runtime.plan.routing
        try:
            quantity = Decimal(spec.quantity)
        except InvalidOperation as exc:
            raise ValueError(f"quantity {spec.quantity!r} is not a number") from exc
        claim = ClaimRequest(
            transaction_code=spec.transaction,
            bin=routing.bin,
            pcn=routing.pcn,
            service_provider_id_qualifier="01",
            service_provider_id=self._npi(spec.pharmacy, day),
            date_of_service=day,
            cardholder_id=self.cardholder,
            group_id=routing.groups[0],
            person_code=spec.person,
            date_of_birth=spec.date_of_birth or person.date_of_birth,
            rx_number=spec.rx if spec.rx is not None else 900000 + self._rx,
            fill_number=spec.fill,
            product_id_qualifier=spec.product_id_qualifier,
            ndc=spec.ndc,
            quantity=quantity,
            days_supply=spec.days_supply,
            compound_code=spec.compound_code,
            daw=spec.daw,
            date_written=spec.date_written,
            refills_authorized=spec.refills_authorized,
            prescriber_id_qualifier="01",
            prescriber_id="1234567893",
            usual_and_customary=spec.usual_and_customary,
            coupon_value=spec.coupon,
            submission_clarification_codes=spec.clarification_codes,
            pa_type_code="1" if spec.pa_number else None,
            pa_number=spec.pa_number,
        )
        unknown = [name for name in spec.omit if name not in ClaimRequest.__dataclass_fields__]
        if unknown:
            raise ValueError(f"omit names unknown claim fields: {', '.join(unknown)}")
        return replace(claim, **dict.fromkeys(spec.omit))


def _run(
    runtime: PlanRuntime,
    catalog: Catalog,
    tests: PlanTestFile,
    scenario: Scenario,
    number: int,
    source: str,
) -> ScenarioResult:
    day = scenario.date_of_service or tests.date_of_service or runtime.plan.effective.from_
    scene = _Scene(runtime, catalog, scenario, number, day)
    result = ScenarioResult(runtime.plan.plan, runtime.plan.version, scenario.name, source)
    try:
        scene.seed()
        problems = []
        for index, spec in enumerate(scenario.history, start=1):
            claim = scene.claim(spec)
            earlier = scene.processor.process(claim, spec.received or claim.date_of_service)
            if earlier.status == "R":
                codes = " ".join(r.code.code for r in earlier.rejects)
                problems.append(f"earlier claim {index} was rejected ({codes})")
        outcomes, decisions = [], []
        for index, (spec, expected) in enumerate(
            zip(scenario.claims, scenario.expect, strict=True), start=1
        ):
            claim = scene.claim(spec)
            decision = scene.processor.process(claim, spec.received or claim.date_of_service)
            decisions.append(decision)
            outcomes.append(ClaimOutcome(index, decision, compare(decision, expected)))
    except ValueError as exc:
        return ScenarioResult(
            result.plan, result.version, scenario.name, source, problems=(str(exc),)
        )
    return ScenarioResult(
        result.plan,
        result.version,
        scenario.name,
        source,
        tuple(outcomes),
        tuple(problems),
        tuple(decisions),
    )


def select_tests(catalog: Catalog, names: Iterable[str]) -> list[TestFile]:
    """The test files of the named plans (``PLAN`` or ``PLAN@VERSION``); all when none."""
    wanted = set(names)
    return [
        (tests.file, tests.scenarios, tests.source)
        for tests in catalog.plan_tests
        if not wanted
        or tests.file.plan in wanted
        or f"{tests.file.plan}@{tests.file.version}" in wanted
    ]


def run_plan_tests(catalog: Catalog, files: Iterable[TestFile]) -> list[ScenarioResult]:
    """Run every scenario of every test file against the catalog's plan versions."""
    results: list[ScenarioResult] = []
    number = 0
    for tests, scenarios, source in files:
        runtime = next(
            (r for r in catalog.plan_versions(tests.plan) if r.plan.version == tests.version),
            None,
        )
        for scenario in scenarios:
            number += 1
            if runtime is None:
                results.append(
                    ScenarioResult(
                        tests.plan,
                        tests.version,
                        scenario.name,
                        source,
                        problems=(f"plan {tests.plan} version {tests.version} is not loaded",),
                    )
                )
                continue
            results.append(_run(runtime, catalog, tests, scenario, number, source))
    return results
