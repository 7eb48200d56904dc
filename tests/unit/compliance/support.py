"""Helpers for the compliance tests: plan variants, catalogs, and billing on any snapshot.

Billing is a pure function of the claim and the accumulator snapshot, so a test can
hand it any accumulator state without going through a store.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from engine.accumulators import Snapshot
from engine.adjudication.billing import bill
from engine.adjudication.decision import Decision
from engine.adjudication.screening import screen
from engine.catalog.cards import member_card
from engine.catalog.catalog import Catalog
from engine.catalog.loader import load_catalog
from engine.claim import ClaimRequest
from engine.compliance.results import CheckResult, PlanReport
from engine.plans.fields import Effective
from engine.plans.plan import PlanVersion

from conftest import REPO, RETAIL, catalog_paths_for_tests

DATA = Path(__file__).parent / "data"
DAY = dt.date(2026, 3, 2)


@functools.cache
def mandate_catalog() -> Catalog:
    """The shipped plans and rules, the test tables, and the violating test plans."""
    return load_catalog([*catalog_paths_for_tests(), DATA])


@functools.cache
def wide_catalog() -> Catalog:
    """The mandate catalog with its test formulary in effect from 2014, for any plan year."""
    catalog = mandate_catalog()
    since_2014 = Effective.model_validate({"from": dt.date(2014, 1, 1)})
    formularies = {
        name: tuple(replace(version, effective=since_2014) for version in versions)
        for name, versions in catalog.formularies.items()
    }
    return replace(catalog, formularies=formularies)


@dataclass(frozen=True)
class Exactly:
    """A change that replaces a nested mapping instead of merging into it."""

    value: Any


def _merged(data: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    result = copy.deepcopy(data)
    for key, value in changes.items():
        if isinstance(value, Exactly):
            result[key] = value.value
        elif value is None:
            result.pop(key, None)
        elif isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = _merged(result[key], value)
        else:
            result[key] = value
    return result


def plan_variant(base: str, **changes: Any) -> PlanVersion:
    """A shipped plan file (``plans/<base>.yaml``) with nested keys changed (None: removed)."""
    data = yaml.safe_load((REPO / "plans" / f"{base}.yaml").read_text())
    return PlanVersion.model_validate(_merged(data, changes))


def for_year(year: int, start: tuple[int, int] = (1, 1)) -> dict[str, Any]:
    """The keys that put a plan version on one plan year."""
    first = dt.date(year, *start)
    last = dt.date(year + 1, *start) - dt.timedelta(days=1)
    return {
        "effective": {"from": first, "to": last},
        "plan_year_start": f"{start[0]:02d}-{start[1]:02d}",
    }


def check(report: PlanReport, suffix: str) -> CheckResult:
    """The one check of a report whose id ends with ``suffix``."""
    found = [c for c in report.checks if c.id.endswith(suffix)]
    assert len(found) == 1, [c.id for c in report.checks]
    return found[0]


def claim_for(
    cardholder: str, person: str, ndc: str, rx: int = 1, day: dt.date = DAY, **changes: Any
) -> ClaimRequest:
    """A retail B1 for a member of the mandate test catalog, from the card on file."""
    catalog = mandate_catalog()
    card = member_card(catalog, catalog.members, cardholder, person, day)
    assert card is not None
    claim = ClaimRequest(
        transaction_code="B1",
        bin=card.bin,
        pcn=card.pcn,
        service_provider_id_qualifier="01",
        service_provider_id=RETAIL,
        date_of_service=day,
        cardholder_id=cardholder,
        group_id=card.group,
        person_code=person,
        date_of_birth=card.date_of_birth,
        rx_number=rx,
        fill_number=0,
        product_id_qualifier="03",
        ndc=ndc,
        quantity=Decimal(30),
        days_supply=30,
        compound_code="1",
        daw="0",
        prescriber_id_qualifier="01",
        prescriber_id="1234567893",
    )
    return replace(claim, **changes)


def adjudicate(claim: ClaimRequest, snapshot: Snapshot | None = None) -> Decision:
    """Bill ``claim`` against ``snapshot`` (empty by default), as the processor would."""
    catalog = mandate_catalog()
    screened = screen(claim, claim.date_of_service, catalog, catalog.members, "billing")
    assert screened.eligibility is not None, screened.rejects
    assert screened.facts is not None
    return bill(
        claim,
        screened.facts,
        screened.eligibility,
        catalog,
        snapshot or Snapshot(),
        "T#1",
        "K",
    )
