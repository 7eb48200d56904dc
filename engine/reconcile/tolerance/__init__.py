"""Tolerance rules: versioned, effective-dated YAML deciding which short payments are accepted."""

from engine.reconcile.tolerance.book import BUILT_IN, RemitFacts, Rule, ToleranceBook
from engine.reconcile.tolerance.loading import CONDITION_SCHEMA, load_tolerances, tolerance_files
from engine.reconcile.tolerance.model import (
    PayerTolerance,
    ProviderAdjustmentClass,
    Tolerance,
    ToleranceFile,
    ppm,
)

__all__ = [
    "BUILT_IN",
    "CONDITION_SCHEMA",
    "PayerTolerance",
    "ProviderAdjustmentClass",
    "RemitFacts",
    "Rule",
    "Tolerance",
    "ToleranceBook",
    "ToleranceFile",
    "load_tolerances",
    "ppm",
    "tolerance_files",
]
