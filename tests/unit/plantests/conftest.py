"""Plan tests run against the shipped catalog: its contract prices are worked by hand."""

from __future__ import annotations

import functools
import textwrap

import pytest
import yaml

from engine.catalog.catalog import Catalog
from engine.catalog.loader import load_catalog
from engine.plantests.model import PlanTestFile
from engine.plantests.runner import ScenarioResult, run_plan_tests

from conftest import REPO


@functools.cache
def _shipped() -> Catalog:
    return load_catalog([REPO / "plans", REPO / "rules"])


@pytest.fixture(scope="session")
def shipped() -> Catalog:
    """The shipped plans, tables, edits, mandates and plan test files."""
    return _shipped()


def plan_test_file(text: str) -> PlanTestFile:
    """A plan test file from YAML text (indentation removed)."""
    return PlanTestFile.model_validate(yaml.safe_load(textwrap.dedent(text)))


def run(catalog: Catalog, text: str) -> list[ScenarioResult]:
    """Run the scenarios of one test file given as YAML text."""
    tests = plan_test_file(text)
    return run_plan_tests(catalog, [(tests, tests.scenarios, "inline")])
