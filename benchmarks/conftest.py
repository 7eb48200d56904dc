"""Benchmark fixtures: catalogs are built once per session and size (the 3 latest kept)."""

from __future__ import annotations

import pytest

from benchmarks.catalog_factory import BENCH_FAMILIES, build_catalog
from engine.catalog.catalog import Catalog

_CACHE: dict[tuple[int, int, int], Catalog] = {}
_KEEP = 3


@pytest.fixture(scope="session")
def catalog_of(tmp_path_factory: pytest.TempPathFactory):
    """A function returning a catalog with ``ndc_count`` NDCs, ``extra_rules`` rules and
    ``families`` benchmark families (catalogs are large: only the latest few are kept)."""

    def make(ndc_count: int, extra_rules: int = 0, families: int = BENCH_FAMILIES) -> Catalog:
        key = (ndc_count, extra_rules, families)
        if key in _CACHE:
            _CACHE[key] = _CACHE.pop(key)
        else:
            while len(_CACHE) >= _KEEP:
                del _CACHE[next(iter(_CACHE))]
            name = f"catalog-{ndc_count}-{extra_rules}-{families}"
            _CACHE[key] = build_catalog(
                tmp_path_factory.mktemp(name), ndc_count, extra_rules, families
            )
        return _CACHE[key]

    return make
