"""Shared test configuration.

Tests that need Redis or PostgreSQL skip with a visible reason when the service is
absent on a developer's machine, and fail under ``CI=true``: CI must never pass by
skipping the tests that matter most.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from engine.adjudication.processor import ClaimProcessor
from engine.catalog.cards import member_card
from engine.catalog.catalog import Catalog
from engine.catalog.loader import load_catalog
from engine.claim import ClaimRequest
from engine.store.memory import MemoryAccumulatorStore, MemoryClaimLedger


def service_missing(service: str, reason: str) -> None:
    """Skip (locally) or fail (under CI) a test whose service cannot be reached."""
    message = f"{service} is not reachable: {reason}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message} (CI=true: a missing service is a failure)")
    pytest.skip(message)


@pytest.fixture(autouse=True)
def _own_stores(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Every test gets its own SQLite ledger and no Redis unless it asks for one.

    Commands read ``RXADJ_DATABASE_URL``; without this, tests would share (and
    leave claims in) the checkout's ``var/rxadj.sqlite3``.
    """
    monkeypatch.setenv("RXADJ_DATABASE_URL", f"sqlite:///{tmp_path / 'ledger.sqlite3'}")
    monkeypatch.delenv("RXADJ_REDIS_URL", raising=False)


REPO = Path(__file__).resolve().parents[1]
TEST_CATALOG = REPO / "tests" / "data" / "catalog"


_SHARED_TABLES = {"formularies", "prices", "networks", "members"}


def catalog_paths_for_tests() -> list[Path]:
    """The shipped plan designs and edit set, with the round-priced test tables and members."""
    plan_files = [
        path
        for path in sorted((REPO / "plans").glob("*/*.yaml"))
        if path.parent.name not in _SHARED_TABLES and not path.name.endswith(".tests.yaml")
    ]
    return [*plan_files, TEST_CATALOG, REPO / "rules"]


@functools.cache
def _test_catalog() -> Catalog:
    return load_catalog(catalog_paths_for_tests())


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The shipped plans over the test formulary, prices, network and members."""
    return _test_catalog()


@pytest.fixture
def processor(catalog: Catalog) -> ClaimProcessor:
    """A processor on fresh embedded stores."""
    return ClaimProcessor(catalog, MemoryAccumulatorStore(), MemoryClaimLedger())


RETAIL = "1234567893"
MAIL = "1200000010"
SPECIALTY = "1300000019"
NOT_CONTRACTED = "1400000018"


def make_claim(
    cardholder: str,
    person: str,
    ndc: str,
    rx: int,
    day: dt.date = dt.date(2026, 3, 2),
    **changes: object,
) -> ClaimRequest:
    """A complete retail B1 for a test member, built from the card on file.

    A person code the family does not have gets the family's routing and no birth
    date; keyword arguments change any field.
    """
    catalog = _test_catalog()
    card = member_card(catalog, catalog.members, cardholder, person, day)
    routing = card or member_card(catalog, catalog.members, cardholder, "001", day)
    assert routing is not None, f"no test family {cardholder}"
    claim = ClaimRequest(
        transaction_code="B1",
        bin=routing.bin,
        pcn=routing.pcn,
        service_provider_id_qualifier="01",
        service_provider_id=RETAIL,
        date_of_service=day,
        cardholder_id=cardholder,
        group_id=routing.group,
        person_code=person,
        date_of_birth=card.date_of_birth if card else None,
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
    return replace(claim, **changes)  # type: ignore[arg-type]


@pytest.fixture
def claim() -> Callable[..., ClaimRequest]:
    """The ``make_claim`` builder, as a fixture."""
    return make_claim
