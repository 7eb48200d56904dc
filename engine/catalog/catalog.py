"""A loaded, validated set of files, and the lookups adjudication makes into it.

A catalog is immutable. Publishing builds a whole new one and swaps the reference;
claims in flight keep the catalog they started with.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from engine.compliance.effective import PlanMandates
from engine.compliance.library import MandateLibrary
from engine.edits.compiled import CompiledEdits
from engine.edits.facts import PlanFacts
from engine.ncpdp.rejects import RejectCode
from engine.plans.fields import Effective
from engine.plans.formulary import Formulary
from engine.plans.members import Family
from engine.plans.network import Network
from engine.plans.plan import PlanVersion
from engine.plans.prices import PriceList
from engine.plantests.model import PlanTestFile, Scenario
from engine.priorauth.model import PriorAuthorization

__all__ = ["Catalog", "MemoryMemberDirectory", "PlanRuntime", "PlanTests", "Route"]


class _Dated(Protocol):
    @property
    def effective(self) -> Effective: ...


D = TypeVar("D", bound=_Dated)


@dataclass(frozen=True, slots=True)
class PlanRuntime:
    """A plan version with its edit set compiled, and the file it came from."""

    plan: PlanVersion
    edits: CompiledEdits
    path: str
    facts: PlanFacts
    """The plan as edit conditions see it, computed once."""
    mandates: PlanMandates
    """Its caps and limits merged with the binding mandates in force, computed once."""

    @property
    def effective(self) -> Effective:
        """The plan version's effective range."""
        return self.plan.effective

    @property
    def id(self) -> str:
        """``plan@version``, as decisions record it."""
        return f"{self.plan.plan}@{self.plan.version}"


@dataclass(frozen=True, slots=True)
class PlanTests:
    """A plan version's test file and all its scenarios (YAML and CSV), and where it is."""

    file: PlanTestFile
    scenarios: tuple[Scenario, ...]
    source: str


@dataclass(frozen=True, slots=True)
class Route:
    """Where a BIN, PCN and group lead: a plan id, or the reject for the part that failed."""

    plan_id: str | None
    reject: RejectCode | None = None
    field_id: str | None = None


class MemoryMemberDirectory:
    """Families from members files, by cardholder id."""

    def __init__(self, families: Mapping[str, Family]) -> None:
        self._families = dict(families)

    def family(self, cardholder_id: str) -> Family | None:
        """The family with this cardholder id, or None."""
        return self._families.get(cardholder_id)

    def __len__(self) -> int:
        return len(self._families)


def _in_effect(versions: Sequence[D], day: dt.date) -> D | None:
    for version in versions:
        if version.effective.covers(day):
            return version
    return None


@dataclass(frozen=True, slots=True)
class Catalog:
    """Every loaded version, grouped by id and sorted by effective date."""

    plans: Mapping[str, tuple[PlanRuntime, ...]]
    formularies: Mapping[str, tuple[Formulary, ...]]
    networks: Mapping[str, tuple[Network, ...]]
    prices: Mapping[str, tuple[PriceList, ...]]
    members: MemoryMemberDirectory
    routes: Mapping[tuple[str, str, str], str]
    sources: tuple[str, ...] = ()
    mandates: MandateLibrary = field(default_factory=MandateLibrary)
    plan_tests: tuple[PlanTests, ...] = ()
    prior_authorizations: tuple[PriorAuthorization, ...] = ()
    """Approvals from prior-authorization files (sample data for the embedded runtime)."""
    _bins: frozenset[str] = field(init=False, repr=False, compare=False)
    _bin_pcns: frozenset[tuple[str, str]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_bins", frozenset(key[0] for key in self.routes))
        object.__setattr__(self, "_bin_pcns", frozenset(key[:2] for key in self.routes))

    def route(self, bin_: str, pcn: str, group: str | None) -> Route:
        """Find the plan a claim's BIN, PCN and group route to (any version's groups count)."""
        pcn = pcn.strip()
        if bin_ not in self._bins:
            return Route(None, RejectCode.MI_BIN_NUMBER, "101-A1")
        if (bin_, pcn) not in self._bin_pcns:
            return Route(None, RejectCode.MI_PROCESSOR_CONTROL_NUMBER, "104-A4")
        if not group or not group.strip():
            return Route(None, RejectCode.MI_GROUP_ID, "301-C1")
        plan_id = self.routes.get((bin_, pcn, group.strip()))
        if plan_id is None:
            return Route(None, RejectCode.NON_MATCHED_GROUP_ID, "301-C1")
        return Route(plan_id)

    def plan_version(self, plan_id: str, day: dt.date) -> PlanRuntime | None:
        """The version of a plan in effect on ``day``, or None."""
        return _in_effect(self.plans.get(plan_id, ()), day)

    def plan_versions(self, plan_id: str) -> tuple[PlanRuntime, ...]:
        """Every loaded version of a plan, oldest first."""
        return self.plans.get(plan_id, ())

    def formulary(self, formulary_id: str, day: dt.date) -> Formulary | None:
        """The formulary version in effect on ``day``."""
        return _in_effect(self.formularies.get(formulary_id, ()), day)

    def network(self, network_id: str, day: dt.date) -> Network | None:
        """The network version in effect on ``day``."""
        return _in_effect(self.networks.get(network_id, ()), day)

    def price_list(self, prices_id: str, day: dt.date) -> PriceList | None:
        """The price list version in effect on ``day``."""
        return _in_effect(self.prices.get(prices_id, ()), day)
