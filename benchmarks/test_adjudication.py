"""Adjudication speed: a typical B1 from parsed request to response model, in process.

The claim is a brand (tier 2) retail fill for an HMO Gold family member whose fill
history holds five other drugs: routing, required fields, 31 standard edits across
three phases, pricing, deductible and copay, accumulator deltas and the NCPDP
response segments. Run: ``python -m pytest benchmarks/test_adjudication.py
--benchmark-only``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from benchmarks.catalog_factory import BENCH_FAMILIES, bench_cardholder
from engine.accumulators import Fill, Snapshot
from engine.adjudication.billing import bill
from engine.adjudication.processor import ClaimProcessor
from engine.adjudication.request import transmission_from_claims
from engine.adjudication.response import response_transaction
from engine.adjudication.screening import screen
from engine.adjudication.transmission import adjudicate_transmission
from engine.catalog.catalog import Catalog
from engine.claim import ClaimRequest
from engine.ncpdp import encode
from engine.store.memory import MemoryAccumulatorStore, MemoryClaimLedger

DAY = dt.date(2026, 3, 2)
CLAIM = ClaimRequest(
    transaction_code="B1",
    bin="610999",
    pcn="RXADJHMO",
    service_provider_id_qualifier="01",
    service_provider_id="1234567893",
    date_of_service=DAY,
    cardholder_id="ZZH100001",
    group_id="HMOGOLD01",
    person_code="001",
    date_of_birth=dt.date(1980, 4, 12),
    rx_number=500001,
    fill_number=0,
    product_id_qualifier="03",
    ndc="90200200401",
    quantity=Decimal(30),
    days_supply=30,
    compound_code="1",
    daw="0",
    prescriber_id="1234567893",
    usual_and_customary=30000,
    gross_amount_due=30000,
)
HISTORY = Snapshot(
    version=7,
    amounts={"ded:001:rx": 10000, "oop:001:rx": 15000, "ded:002:rx": 5000, "oop:002:rx": 9000},
    fills=tuple(
        Fill(f"k{n}", "001", ndc, ndc, DAY - dt.timedelta(days=20 + n), 30)
        for n, ndc in enumerate(
            ["90100100001", "90100100301", "90100100601", "90100101301", "90100102201"]
        )
    ),
)


def adjudicate_once(catalog: Catalog) -> object:
    """Screen, bill against the fixed snapshot, and build the response segments."""
    screened = screen(CLAIM, DAY, catalog, catalog.members, "billing")
    assert screened.eligibility is not None
    assert screened.facts is not None
    decision = bill(CLAIM, screened.facts, screened.eligibility, catalog, HISTORY, "t#1", "k")
    return response_transaction(decision, CLAIM)


@pytest.mark.parametrize("ndc_count", [200, 20_000, 200_000])
def test_b1_by_formulary_size(benchmark, catalog_of, ndc_count):
    catalog = catalog_of(ndc_count)
    transaction = benchmark(adjudicate_once, catalog)
    assert transaction.segment("21").get("AN") == "P"


@pytest.mark.parametrize("extra_rules", [0, 69, 269])
def test_b1_by_rule_count(benchmark, catalog_of, extra_rules):
    catalog = catalog_of(20_000, extra_rules)
    rules = sum(len(r) for r in catalog.plans["HMO-GOLD"][0].edits.phases.values())
    benchmark.extra_info["rules"] = rules
    transaction = benchmark(adjudicate_once, catalog)
    assert transaction.segment("21").get("AN") == "P"


GENERICS = [
    "90100100001",
    "90100100301",
    "90100100501",
    "90100100601",
    "90100101301",
    "90100100701",
    "90100100801",
    "90100100901",
    "90100101001",
    "90100101101",
]


def test_b1_through_processor_and_memory_stores(benchmark, catalog_of):
    """The whole processor: duplicate check, snapshot, bill, apply, ledger — new claims.

    Claims go round-robin over the benchmark families and ten generics, so none is a
    duplicate or a refill too soon until every family has had every drug.
    """
    catalog = catalog_of(20_000)
    processor = ClaimProcessor(catalog, MemoryAccumulatorStore(), MemoryClaimLedger())
    numbers = iter(range(10_000_000))

    def one() -> str:
        n = next(numbers)
        claim = replace(
            CLAIM,
            cardholder_id=bench_cardholder(n % BENCH_FAMILIES),
            date_of_birth=dt.date(1980, 1, 1),
            rx_number=700_000 + n,
            ndc=GENERICS[(n // BENCH_FAMILIES) % len(GENERICS)],
        )
        return processor.process(claim, DAY).status

    assert one() == "P"
    benchmark.pedantic(one, rounds=20_000, iterations=1, warmup_rounds=100)


def test_b1_bytes_in_bytes_out(benchmark, catalog_of):
    """Bytes to bytes in process: decode, adjudicate, encode the response."""
    catalog = catalog_of(20_000)
    processor = ClaimProcessor(catalog, MemoryAccumulatorStore(), MemoryClaimLedger())
    request = encode(transmission_from_claims([CLAIM]))
    response = benchmark(lambda: adjudicate_transmission(request, processor, DAY).response)
    assert response.startswith(b"D0B1")
