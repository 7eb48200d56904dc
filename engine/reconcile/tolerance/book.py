"""Tolerance versions in force by date, and the rule each payment is judged by.

Every decision records the label of the rule it used (``receivables 2026.1: payer
610014``), so a finance reviewer can tell why a short payment was accepted even
after the rules changed. With no version in force the built-in CRAM21 defaults
apply — 0% and $9,999.99, which accept any payment — and the label says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from engine.money import format_cents
from engine.reconcile.codes import DEFAULT_EXCEPTION_CODES, DEFAULT_PROVIDER_CLASSES, ProviderClass
from engine.reconcile.codes import classify_provider as _classify
from engine.reconcile.tolerance.model import Tolerance, ToleranceFile, ppm

__all__ = ["BUILT_IN", "RemitFacts", "Rule", "ToleranceBook", "ToleranceVersion"]

_LABEL = 160


@dataclass(frozen=True, slots=True)
class Rule:
    """The tolerance one payment is judged by, and the label its decision records."""

    version: str
    minimum_ppm: int
    maximum_difference: int
    built_in: bool = False

    def accepts(self, due: int, paid: int) -> bool:
        """Whether ``paid`` cents settle ``due`` cents in full under this rule."""
        return paid * 1_000_000 >= due * self.minimum_ppm and due - paid <= self.maximum_difference


BUILT_IN = Rule("built-in default: 0% and $9,999.99, no tolerance rule set", 0, 999_999, True)
"""CRAM21's preset when the user sets no parameters: any payment is accepted (not advised)."""


@dataclass(frozen=True, slots=True)
class RemitFacts:
    """What a condition may read: ``remit.payer``, ``remit.store``, ``remit.billing_method``."""

    payer: str
    store: str
    billing_method: str


Condition = Callable[[RemitFacts], bool]


def _rule(label: str, tolerance: Tolerance) -> Rule:
    return Rule(label[:_LABEL], ppm(tolerance.minimum_share), tolerance.maximum_difference)


@dataclass(frozen=True, slots=True)
class ToleranceVersion:
    """One loaded file, with its entries' conditions compiled (None: unconditional)."""

    file: ToleranceFile
    source: str
    conditions: tuple[Condition | None, ...]

    @property
    def label(self) -> str:
        """``<tolerances> <version>``."""
        return f"{self.file.tolerances} {self.file.version}"

    def rule_for(self, facts: RemitFacts) -> Rule:
        """A matching conditional payer entry, else the payer's plain entry, else the default."""
        plain = None
        for index, (entry, condition) in enumerate(
            zip(self.file.payers, self.conditions, strict=True)
        ):
            if entry.payer != facts.payer:
                continue
            if condition is None:
                plain = plain or entry
            elif condition(facts):
                return _rule(f"{self.label}: payer {entry.payer} (payers[{index}])", entry)
        if plain is not None:
            return _rule(f"{self.label}: payer {plain.payer}", plain)
        return _rule(f"{self.label}: default", self.file.default)

    def provider_class(self, code: str, reference: str | None) -> ProviderClass:
        """The file's own PLB classes first, then the built-in ones."""
        table = tuple((c.code, c.reference, c.category) for c in self.file.provider_adjustments)
        return _classify(code, reference, table + DEFAULT_PROVIDER_CLASSES)


@dataclass(frozen=True, slots=True)
class ToleranceBook:
    """Every loaded version, oldest first; at most one is in force on any day."""

    versions: tuple[ToleranceVersion, ...] = ()

    def in_force(self, day: dt.date) -> ToleranceVersion | None:
        """The version whose effective range covers ``day``."""
        for version in self.versions:
            if version.file.effective.covers(day):
                return version
        return None

    def rule_for(self, day: dt.date, facts: RemitFacts) -> Rule:
        """The rule for a payment made on ``day``; the built-in default when none is set."""
        version = self.in_force(day)
        return BUILT_IN if version is None else version.rule_for(facts)

    def exception_codes(self, day: dt.date) -> tuple[str, ...]:
        """Claim adjustment codes that are never accepted as a markdown on ``day``."""
        version = self.in_force(day)
        return DEFAULT_EXCEPTION_CODES if version is None else version.file.exception_codes

    def provider_class(self, day: dt.date, code: str, reference: str | None) -> ProviderClass:
        """The class of a PLB adjustment in a payment made on ``day``."""
        version = self.in_force(day)
        if version is None:
            return _classify(code, reference)
        return version.provider_class(code, reference)

    def statement_address(self, payer: str, day: dt.date) -> str | None:
        """Where aged statements for ``payer`` go, if the rules in force on ``day`` say."""
        version = self.in_force(day)
        if version is None:
            return None
        return next(
            (e.statement_to for e in version.file.payers if e.payer == payer and e.statement_to),
            None,
        )

    def describe(self, day: dt.date) -> str:
        """One line for report headings: which rules judged payments made on ``day``."""
        version = self.in_force(day)
        if version is None:
            return (
                "no tolerance rule is set: the defaults 0% and $9,999.99 apply, "
                "so any payment is accepted"
            )
        default = version.file.default
        return (
            f"tolerance rules {version.label} ({version.source}): default "
            f"{(default.minimum_share * 100).normalize():f}% and "
            f"{format_cents(default.maximum_difference)}, "
            f"{len(version.file.payers)} payer rule(s)"
        )


def sorted_versions(versions: Sequence[ToleranceVersion]) -> tuple[ToleranceVersion, ...]:
    """Versions by start date."""
    return tuple(sorted(versions, key=lambda v: v.file.effective.from_))
