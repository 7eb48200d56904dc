"""A fixed set of generated claims, with their facts built exactly as the engine builds them.

Claims are drawn, with a fixed seed, over the shipped plans, formulary, network
and sample members, and varied where edits look: NDCs on and off the formulary,
in- and out-of-network pharmacies, days supply and quantities (fractional ones
too), DAW codes, dates written and of birth, coverage dates, clarification codes,
amounts, and a fill history that makes some refills early. Each claim's roots per
phase come from the engine's own functions (``claim_facts``, ``resolve_member``,
``look_up_benefit``), so an engine under test sees exactly the values rxadj's
compiled rules see — including ``None``, ``Decimal``, dates and sets.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from engine.accumulators import Fill, Snapshot
from engine.adjudication.benefit import look_up_benefit
from engine.adjudication.eligibility import claim_facts, find_plan_version, resolve_member
from engine.catalog.catalog import Catalog
from engine.catalog.loader import load_catalog
from engine.claim import ClaimRequest
from engine.plans.members import Family, MembersFile, family_from_model
from engine.sourcefile import load_yaml, validate

__all__ = ["ClaimCase", "generated_claims", "shipped_catalog"]

REPO = Path(__file__).resolve().parents[2]
_PHARMACIES = (
    "1234567893",
    "1100000011",
    "1200000010",
    "1300000019",
    "1400000018",
    "1999999998",
)
_DAYS = (30, 30, 30, 30, 90, 90, 7, 34, 60, 84, 100, 0, 400)
_QUANTITIES = ("30", "30", "60", "90", "30.5", "0.25", "120", "0", "1000", "250.5", "2500")
_DAWS = ("0", "0", "0", "1", "2", "9", "X")
_DAY = dt.date(2026, 3, 2)


@dataclass(frozen=True, slots=True)
class ClaimCase:
    """One generated claim: its roots for each phase, in the order conditions take them."""

    label: str
    request: tuple[object, ...]
    eligibility: tuple[object, ...]
    benefit: tuple[object, ...]

    def roots(self, phase: str) -> tuple[object, ...]:
        """The roots ``phase`` evaluates on."""
        return getattr(self, phase)  # type: ignore[no-any-return]


@functools.cache
def shipped_catalog() -> Catalog:
    """The shipped plans, tables, sample members and standard edits."""
    return load_catalog([REPO / "plans", REPO / "rules"])


def _families() -> list[Family]:
    document = load_yaml(REPO / "plans" / "members" / "sample-members.yaml")
    model = validate(MembersFile, document)
    assert isinstance(model, MembersFile)
    return [family_from_model(family) for family in model.families]


def _claim(rng: random.Random, catalog: Catalog, family: Family, serial: int) -> ClaimRequest:
    coverage = rng.choice(family.coverages)
    person = rng.choice(sorted(coverage.persons))
    route = next(key for key, plan in sorted(catalog.routes.items()) if plan == coverage.plan)
    day = _DAY + dt.timedelta(days=rng.randint(-90, 200))
    born = family.persons[person].date_of_birth
    formulary = catalog.formulary(catalog.plans[coverage.plan][-1].plan.formulary, _DAY)
    assert formulary is not None
    ndcs = sorted(formulary.drugs)
    return ClaimRequest(
        transaction_code="B1",
        bin=route[0],
        pcn=route[1],
        service_provider_id_qualifier="01",
        service_provider_id=rng.choice(_PHARMACIES),
        date_of_service=day,
        cardholder_id=family.cardholder_id,
        group_id=route[2],
        person_code=person,
        date_of_birth=rng.choice((born, born, born, None, born - dt.timedelta(days=1))),
        rx_number=600_000 + serial,
        fill_number=rng.choice((0, 0, 1, 2, 5)),
        refills_authorized=rng.choice((None, 3, 11, 1)),
        product_id_qualifier=rng.choice(("03", "03", "03", "03", "03", "03", "01")),
        ndc=rng.choice((*ndcs, *ndcs, "99999999999", "90100100001")),
        quantity=Decimal(rng.choice(_QUANTITIES)),
        days_supply=rng.choice(_DAYS),
        compound_code=rng.choice(("1", "1", "1", "1", "2")),
        daw=rng.choice(_DAWS),
        date_written=rng.choice((None, day - dt.timedelta(days=rng.randint(-3, 420)))),
        submission_clarification_codes=tuple(rng.sample("1234567", rng.choice((0, 0, 1, 2)))),
        pa_number=rng.choice(("", "", "", "PA1234")),
        prescriber_id="1234567893",
        usual_and_customary=rng.choice((None, 2500, 450_000)),
        gross_amount_due=rng.choice((None, 3000, 120_000, 380_050, 999_999)),
    )


def _history(rng: random.Random, claim: ClaimRequest, catalog: Catalog) -> Snapshot:
    fills = []
    for n in range(rng.choice((0, 1, 3))):
        ndc = claim.ndc if n == 0 and rng.random() < 0.6 else "90100100101"
        assert ndc is not None
        runtime = catalog.plan_version(
            catalog.routes[(claim.bin, claim.pcn, claim.group_id or "")], _DAY
        )
        formulary = catalog.formulary(runtime.plan.formulary, _DAY) if runtime else None
        drug = formulary.get(ndc) if formulary else None
        ago = dt.timedelta(days=rng.randint(1, 40))
        group = drug.group if drug else ndc
        fills.append(
            Fill(f"h{n}", claim.person_code or "", ndc, group, claim.date_of_service - ago, 30)
        )
    return Snapshot(version=1, fills=tuple(fills))


@functools.cache
def generated_claims(count: int = 120, seed: int = 7) -> tuple[ClaimCase, ...]:
    """``count`` claims that reach every phase, with the facts each phase sees."""
    catalog = shipped_catalog()
    families = _families()
    rng = random.Random(seed)
    cases: list[ClaimCase] = []
    serial = 0
    while len(cases) < count:
        serial += 1
        claim = _claim(rng, catalog, rng.choice(families), serial)
        runtime, _ = find_plan_version(catalog, claim)
        if runtime is None:
            continue
        eligibility, _ = resolve_member(claim, runtime, catalog.members)
        if eligibility is None:
            continue
        received = claim.date_of_service + dt.timedelta(days=rng.choice((0, 0, 0, 1, 5, 200, -1)))
        facts = claim_facts(claim, received)
        snapshot = _history(rng, claim, catalog)
        benefit = look_up_benefit(
            claim, runtime.plan, catalog, snapshot, eligibility.person.person_code
        )
        cases.append(
            ClaimCase(
                label=f"claim-{serial}",
                request=(facts,),
                eligibility=(facts, eligibility.member, eligibility.plan),
                benefit=(
                    facts,
                    eligibility.member,
                    eligibility.plan,
                    benefit.drug_facts,
                    benefit.pharmacy_facts,
                    benefit.benefit_facts,
                    benefit.history_facts,
                ),
            )
        )
    return tuple(cases)
