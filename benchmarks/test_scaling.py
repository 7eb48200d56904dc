"""How a claim's cost grows with edits, formulary size and members; memory per plan version.

- edits: a full B1 (screening, 3 edit phases, pricing, cost share, response) under
  31, 100, 300 and 1,000 edits (the extra ones evaluated on every claim, never firing);
- formulary size: ``test_adjudication.py::test_b1_by_formulary_size`` (200 / 20,000 /
  200,000 NDCs) — dictionaries, so flat;
- members: the whole processor on the embedded stores, round robin over 1,000 to
  50,000 families (loading 100,000 families from YAML takes over a minute here);
- memory: Python heap retained by ``load_catalog`` with 1, 2 and 5 yearly versions
  of one plan (tracemalloc, after a warm-up load so one-time caches are not
  counted), reported in ``extra_info``; the timing is the load.

Run: ``.venv/bin/python -m pytest benchmarks/test_scaling.py --benchmark-only``;
``RXADJ_BENCH_QUICK=1`` keeps to the small cases.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import tracemalloc
from dataclasses import replace

import pytest

from benchmarks.catalog_factory import bench_cardholder, plan_versions
from benchmarks.test_adjudication import CLAIM, DAY, GENERICS, adjudicate_once
from engine.adjudication.processor import ClaimProcessor
from engine.catalog.loader import load_catalog
from engine.store.memory import MemoryAccumulatorStore, MemoryClaimLedger

QUICK = os.environ.get("RXADJ_BENCH_QUICK") == "1"
EXTRA_EDITS = (0, 269) if QUICK else (0, 69, 269, 969)
FAMILIES = (1_000,) if QUICK else (1_000, 10_000, 50_000)
VERSIONS = (1, 5) if QUICK else (1, 2, 5)


@pytest.mark.parametrize("extra", EXTRA_EDITS)
def test_b1_by_edit_count(benchmark, catalog_of, extra: int) -> None:
    catalog = catalog_of(20_000, extra)
    edits = sum(len(rules) for rules in catalog.plans["HMO-GOLD"][0].edits.phases.values())
    benchmark.group = "B1 by number of edits"
    benchmark.extra_info["edits"] = edits
    transaction = benchmark(adjudicate_once, catalog)
    assert transaction.segment("21").get("AN") == "P"


@pytest.mark.parametrize("families", FAMILIES)
def test_b1_by_member_count(benchmark, catalog_of, families: int) -> None:
    catalog = catalog_of(20_000, 0, families)
    processor = ClaimProcessor(catalog, MemoryAccumulatorStore(), MemoryClaimLedger())
    numbers = iter(range(10_000_000))

    def one() -> str:
        n = next(numbers)
        claim = replace(
            CLAIM,
            cardholder_id=bench_cardholder(n % families),
            date_of_birth=dt.date(1980, 1, 1),
            rx_number=800_000 + n,
            ndc=GENERICS[(n // families) % len(GENERICS)],
        )
        return processor.process(claim, DAY).status

    assert one() == "P"
    benchmark.group = "B1 through the processor by number of families"
    benchmark.extra_info["families"] = families
    benchmark.pedantic(one, rounds=2_000 if QUICK else 10_000, iterations=1, warmup_rounds=50)


@pytest.mark.parametrize("versions", VERSIONS)
def test_catalog_memory_by_plan_versions(benchmark, tmp_path, versions: int) -> None:
    paths = plan_versions(tmp_path, versions)
    load_catalog(paths)
    gc.collect()
    tracemalloc.start()
    catalog = load_catalog(paths)
    gc.collect()
    retained, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(catalog.plans["HMO-GOLD"]) == versions
    del catalog
    benchmark.group = "load_catalog by plan versions"
    benchmark.extra_info.update(
        {"versions": versions, "retained_kib": retained // 1024, "peak_kib": peak // 1024}
    )
    loaded = benchmark.pedantic(load_catalog, args=(paths,), rounds=3, iterations=1)
    assert len(loaded.plans["HMO-GOLD"]) == versions
