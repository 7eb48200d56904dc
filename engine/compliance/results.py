"""What the checker concludes: one result per check, per plan version, per report.

Results are plain values with a ``to_dict`` that is JSON-ready, so the same objects
feed the terminal table, ``--json``, the HTML report and (later) the HTTP endpoint.
Money is kept in cents beside its display text: a program reads the cents, a
compliance officer reads the text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from engine.compliance.citation import Citation
from engine.compliance.library import Mandate
from engine.compliance.model import RuleBase
from engine.money import format_cents

__all__ = [
    "CheckResult",
    "ComplianceReport",
    "Outcome",
    "PlanReport",
    "mandate_check",
    "money_text",
]


def money_text(cents: int | None) -> str:
    """An amount as a compliance officer reads it; None is "no limit"."""
    return "no limit" if cents is None else format_cents(cents)


class Outcome(StrEnum):
    """How a check came out; only ``FAIL`` stops a plan version from being published."""

    PASS = "pass"
    FAIL = "fail"
    ADVISORY_PASS = "advisory pass"
    ADVISORY_FAIL = "advisory fail"


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One check of one plan version against one rule.

    ``binding`` is False when the rule's source is weaker than VERIFIED (or the
    check depends on a reading the reference does not verify): the result is shown
    but never fails the plan.
    """

    id: str
    title: str
    passed: bool
    binding: bool
    value: str
    limit: str
    rule: str | None
    citation: Citation | None
    detail: str = ""
    value_cents: int | None = None
    limit_cents: int | None = None

    @property
    def outcome(self) -> Outcome:
        """PASS, FAIL, or an advisory outcome that does not gate publishing."""
        if self.binding:
            return Outcome.PASS if self.passed else Outcome.FAIL
        return Outcome.ADVISORY_PASS if self.passed else Outcome.ADVISORY_FAIL

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "id": self.id,
            "title": self.title,
            "outcome": self.outcome.value,
            "passed": self.passed,
            "binding": self.binding,
            "value": self.value,
            "limit": self.limit,
            "value_cents": self.value_cents,
            "limit_cents": self.limit_cents,
            "rule": self.rule,
            "citation": None if self.citation is None else self.citation.model_dump(mode="json"),
            "detail": self.detail,
        }


def mandate_check(
    aspect: str,
    title: str,
    value: int | None,
    limit: int,
    mandate: Mandate[RuleBase],
    *,
    at_least: bool = False,
    binding: bool = True,
    detail: str = "",
) -> CheckResult:
    """Compare a plan figure with a rule's: at most the limit, or ``at_least`` it.

    ``value`` None means the plan sets no limit at all, which fails an "at most".
    The result is binding only if the rule's citation is and ``binding`` is True.
    """
    passed = value is not None and (value >= limit if at_least else value <= limit)
    return CheckResult(
        id=f"{mandate.ref}/{aspect}",
        title=title,
        passed=passed,
        binding=binding and mandate.rule.citation.binding,
        value=money_text(value),
        limit=("at least " if at_least else "at most ") + money_text(limit),
        rule=mandate.ref,
        citation=mandate.rule.citation,
        detail=detail,
        value_cents=value,
        limit_cents=limit,
    )


@dataclass(frozen=True, slots=True)
class PlanReport:
    """Every check of one plan version, with the rule-set versions it was judged by."""

    plan: str
    version: str
    name: str
    plan_year: dt.date
    type: str
    funding: str
    market: str
    situs_state: str
    checks: tuple[CheckResult, ...]
    rule_sets: tuple[str, ...]
    notes: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        """``plan@version``."""
        return f"{self.plan}@{self.version}"

    @property
    def failures(self) -> tuple[CheckResult, ...]:
        """The binding checks that failed: any one refuses publishing."""
        return tuple(check for check in self.checks if check.outcome is Outcome.FAIL)

    @property
    def passed(self) -> bool:
        """Whether no binding check failed."""
        return not self.failures

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "plan": self.plan,
            "version": self.version,
            "name": self.name,
            "plan_year": self.plan_year.isoformat(),
            "type": self.type,
            "funding": self.funding,
            "market": self.market,
            "situs_state": self.situs_state,
            "passed": self.passed,
            "failures": [check.id for check in self.failures],
            "rule_sets": list(self.rule_sets),
            "notes": list(self.notes),
            "checks": [check.to_dict() for check in self.checks],
        }


@dataclass(frozen=True, slots=True)
class ComplianceReport:
    """The report a compliance officer files: plan versions, checks, rules and date."""

    generated: dt.date
    plans: tuple[PlanReport, ...]
    rule_sets: tuple[str, ...]
    """Every rule-set version loaded when the report was made."""

    @property
    def passed(self) -> bool:
        """Whether every plan version passed every binding check."""
        return all(plan.passed for plan in self.plans)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "generated": self.generated.isoformat(),
            "passed": self.passed,
            "rule_sets": list(self.rule_sets),
            "plans": [plan.to_dict() for plan in self.plans],
        }
