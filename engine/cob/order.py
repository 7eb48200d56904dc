"""The order of benefit determination: which coverage pays first, second, third.

Rules are tried in order for each pair of coverages until one decides; the first
that decides names itself, so a decision can always say why. Sources:
``shared/reference/mandates.md`` §6.1 (NAIC model rule) and §6.2 (Medicare
secondary payer).

1. ``injury-payer-first``: workers' compensation and liability insurance pay
   before health coverage (for the injury-related care they are billed for; a
   claim they do not cover comes back with Other Coverage Code 3).
2. ``assistance-pays-last``: SPAPs, ADAPs, charities and the Indian Health Service
   pay after every insurance; the Indian Health Service after them too.
3. ``medicaid-pays-last``: Medicaid pays after every other insurance.
4. ``tricare-pays-after``: TRICARE pays after other health coverage.
5. Medicare secondary payer: ``msp-esrd`` (a group plan pays first during the
   30-month ESRD coordination period, Medicare after it), ``msp-working-aged``
   (65 or older, own or spouse's current employment, 20 or more employees),
   ``msp-disability`` (under 65, current employment, 100 or more employees),
   ``msp-medicare-primary`` (retiree, COBRA, small employer or individual
   coverage: Medicare first).
6. ``medicare-dependent-reversal`` (NAIC): when Medicare pays after the plan
   covering the person as a dependent and before the plan covering them as a
   subscriber, the dependent coverage pays before the subscriber coverage.
7. ``subscriber-before-dependent``.
8. For a dependent child on both: ``custody`` (court decree, custodial parent,
   custodial parent's spouse, other parent, other parent's spouse), then
   ``birthday`` (the parent whose month and day come first in the year).
9. ``active-before-retired``, then ``cobra-pays-after``.
10. ``longer-coverage``: the coverage in force longer pays first.

An order pinned on file (``order-on-file``) is kept; the other coverages fill the
remaining places by the rules. When no rule tells two coverages apart, or the rules
contradict each other, the order is undetermined and the claim cannot be
adjudicated until the order is put on file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations

from engine.cob.coverage import MedicareEntitlement, OtherCoverage
from engine.cob.payers import (
    ASSISTANCE,
    INJURY,
    Custody,
    Employment,
    MedicareBasis,
    PayerKind,
)

__all__ = [
    "ESRD_COORDINATION_MONTHS",
    "CobOrder",
    "CoverageView",
    "Patient",
    "Placed",
    "determine_order",
]

ESRD_COORDINATION_MONTHS = 30
WORKING_AGED_EMPLOYEES = 20
DISABILITY_EMPLOYEES = 100
MEDICARE_AGE = 65
ORDER_ON_FILE = "order-on-file"

_CUSTODY_RANK = {custody: rank for rank, custody in enumerate(Custody)}


@dataclass(frozen=True, slots=True)
class CoverageView:
    """One coverage of the patient, as the order rules see it.

    ``relationship`` is the patient's relationship to that coverage's subscriber
    (1 subscriber, 2 spouse, 3 child, 4 other); ``employment`` the subscriber's status
    (None: not employment-based); ``other`` is None for this plan's own coverage.
    """

    label: str
    kind: PayerKind
    relationship: str
    start: dt.date
    employment: Employment | None = None
    employer_size: int | None = None
    subscriber_birthday: tuple[int, int] | None = None
    custody: Custody | None = None
    pinned: int | None = None
    other: OtherCoverage | None = None


@dataclass(frozen=True, slots=True)
class Patient:
    """What the Medicare rules need to know about the patient on the date of service."""

    day: dt.date
    age: int
    medicare: MedicareEntitlement | None = None

    @property
    def medicare_basis(self) -> MedicareBasis:
        """The entitlement basis on file, else age at 65 or more, else disability."""
        if self.medicare is not None:
            return self.medicare.basis
        return MedicareBasis.AGE if self.age >= MEDICARE_AGE else MedicareBasis.DISABILITY


@dataclass(frozen=True, slots=True)
class _Decided:
    """Which of two coverages pays first, the rule that said so, and why."""

    first: CoverageView
    rule: str
    reason: str


@dataclass(frozen=True, slots=True)
class Placed:
    """Another coverage's position, and the rule that placed it before or after this plan."""

    coverage: CoverageView
    position: int
    rule: str
    reason: str


@dataclass(frozen=True, slots=True)
class CobOrder:
    """Where this plan stands among the patient's coverages on the date of service.

    ``position`` is 1 (primary), 2 or 3, or None when the order is undetermined
    (``problem`` says why). ``rule`` and ``reason`` say what decided this plan's
    place: the comparison with the payer just before it (or, for the primary, just
    after it). ``others`` are the other coverages in force, by position.
    """

    position: int | None
    rule: str
    reason: str
    others: tuple[Placed, ...]
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class _Context:
    patient: Patient
    views: Sequence[CoverageView]


_Rule = Callable[[CoverageView, CoverageView, _Context], _Decided | None]


def _one_of(a: CoverageView, b: CoverageView, kinds: frozenset[PayerKind]) -> CoverageView | None:
    """The one of the two whose kind is in ``kinds``, when exactly one is."""
    if (a.kind in kinds) == (b.kind in kinds):
        return None
    return a if a.kind in kinds else b


def _injury_first(a: CoverageView, b: CoverageView, _ctx: _Context) -> _Decided | None:
    first = _one_of(a, b, INJURY)
    if first is None:
        return None
    return _Decided(
        first,
        "injury-payer-first",
        f"{first.label} pays first: workers' compensation and liability insurance "
        "pay before health coverage",
    )


def _assistance_last(a: CoverageView, b: CoverageView, _ctx: _Context) -> _Decided | None:
    last = _one_of(a, b, ASSISTANCE) or _one_of(a, b, frozenset({PayerKind.IHS}))
    if last is None:
        return None
    first = b if last is a else a
    why = (
        "the Indian Health Service is the payer of last resort"
        if last.kind is PayerKind.IHS
        else "assistance programs pay after insurance"
    )
    return _Decided(first, "assistance-pays-last", f"{last.label} pays after: {why}")


def _medicaid_last(a: CoverageView, b: CoverageView, _ctx: _Context) -> _Decided | None:
    last = _one_of(a, b, frozenset({PayerKind.MEDICAID}))
    if last is None:
        return None
    first = b if last is a else a
    return _Decided(first, "medicaid-pays-last", "Medicaid pays after every other insurance")


def _tricare_after(a: CoverageView, b: CoverageView, _ctx: _Context) -> _Decided | None:
    last = _one_of(a, b, frozenset({PayerKind.TRICARE}))
    if last is None:
        return None
    first = b if last is a else a
    return _Decided(first, "tricare-pays-after", "TRICARE pays after other health coverage")


def _add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def _msp(medicare: CoverageView, other: CoverageView, patient: Patient) -> _Decided:
    """Medicare against one other coverage (not Medicaid, TRICARE or an assistance program)."""
    if other.kind is not PayerKind.GROUP_HEALTH:
        return _Decided(
            medicare,
            "msp-medicare-primary",
            f"Medicare pays before {other.label}: it is not a group health plan",
        )
    entitlement = patient.medicare
    if entitlement is not None and entitlement.esrd_coordination_start is not None:
        ends = _add_months(entitlement.esrd_coordination_start, ESRD_COORDINATION_MONTHS)
        if patient.day < ends:
            return _Decided(
                other,
                "msp-esrd",
                f"{other.label} pays before Medicare during the {ESRD_COORDINATION_MONTHS}-month "
                f"ESRD coordination period (until {ends})",
            )
        return _Decided(
            medicare,
            "msp-esrd",
            f"Medicare pays first: the ESRD coordination period ended on {ends}",
        )
    if other.employment is not Employment.ACTIVE:
        status = "COBRA" if other.employment is Employment.COBRA else "retiree"
        return _Decided(
            medicare,
            "msp-medicare-primary",
            f"Medicare pays before {other.label}: {status} coverage is not from current employment",
        )
    size = other.employer_size
    if patient.medicare_basis is MedicareBasis.AGE:
        if other.relationship not in ("1", "2"):
            return _Decided(
                medicare,
                "msp-medicare-primary",
                f"Medicare pays before {other.label}: the working-aged rule covers the person's "
                "own or spouse's employment only",
            )
        threshold, rule = WORKING_AGED_EMPLOYEES, "msp-working-aged"
    else:
        threshold, rule = DISABILITY_EMPLOYEES, "msp-disability"
    if size is not None and size < threshold:
        return _Decided(
            medicare,
            "msp-medicare-primary",
            f"Medicare pays before {other.label}: the employer has fewer than "
            f"{threshold} employees",
        )
    assumed = "" if size is not None else " (employer size not on file: taken as large)"
    return _Decided(
        other,
        rule,
        f"{other.label} pays before Medicare: current employment, employer of "
        f"{threshold} or more employees{assumed}",
    )


def _medicare(a: CoverageView, b: CoverageView, ctx: _Context) -> _Decided | None:
    medicare = _one_of(a, b, frozenset({PayerKind.MEDICARE}))
    if medicare is None:
        return None
    return _msp(medicare, b if medicare is a else a, ctx.patient)


def _dependent_reversal(a: CoverageView, b: CoverageView, ctx: _Context) -> _Decided | None:
    medicare = next((v for v in ctx.views if v.kind is PayerKind.MEDICARE), None)
    if medicare is None or PayerKind.MEDICARE in (a.kind, b.kind):
        return None
    if (a.relationship == "1") == (b.relationship == "1"):
        return None
    dependent, subscriber = (b, a) if a.relationship == "1" else (a, b)
    before_medicare = _msp(medicare, dependent, ctx.patient).first is dependent
    after_medicare = _msp(medicare, subscriber, ctx.patient).first is medicare
    if not (before_medicare and after_medicare):
        return None
    return _Decided(
        dependent,
        "medicare-dependent-reversal",
        f"{dependent.label} (as a dependent) pays before {subscriber.label}: Medicare pays "
        "after the one and before the other",
    )


def _subscriber_first(a: CoverageView, b: CoverageView, _ctx: _Context) -> _Decided | None:
    if (a.relationship == "1") == (b.relationship == "1"):
        return None
    first = a if a.relationship == "1" else b
    return _Decided(
        first,
        "subscriber-before-dependent",
        f"{first.label} covers the patient as subscriber, the other as a dependent",
    )


def _child(a: CoverageView, b: CoverageView, _ctx: _Context) -> _Decided | None:
    if a.relationship != "3" or b.relationship != "3":
        return None
    if a.custody is not None and b.custody is not None and a.custody != b.custody:
        first = a if _CUSTODY_RANK[a.custody] < _CUSTODY_RANK[b.custody] else b
        return _Decided(
            first,
            "custody",
            f"{first.label} is the plan of the {first.custody.value.replace('_', ' ')} "
            "parent (parents not living together)",
        )
    if (
        a.subscriber_birthday is not None
        and b.subscriber_birthday is not None
        and a.subscriber_birthday != b.subscriber_birthday
    ):
        first = a if a.subscriber_birthday < b.subscriber_birthday else b
        month, day = first.subscriber_birthday or (0, 0)
        return _Decided(
            first,
            "birthday",
            f"{first.label} is the plan of the parent whose birthday ({month:02d}-{day:02d}) "
            "comes first in the year",
        )
    return None


def _active_first(a: CoverageView, b: CoverageView, _ctx: _Context) -> _Decided | None:
    statuses = {a.employment, b.employment}
    if statuses != {Employment.ACTIVE, Employment.RETIRED}:
        return None
    first = a if a.employment is Employment.ACTIVE else b
    return _Decided(
        first,
        "active-before-retired",
        f"{first.label} is coverage through active employment, the other retiree coverage",
    )


def _cobra_after(a: CoverageView, b: CoverageView, _ctx: _Context) -> _Decided | None:
    if (a.employment is Employment.COBRA) == (b.employment is Employment.COBRA):
        return None
    first = b if a.employment is Employment.COBRA else a
    return _Decided(
        first, "cobra-pays-after", "COBRA or state continuation pays after other coverage"
    )


def _longer(a: CoverageView, b: CoverageView, _ctx: _Context) -> _Decided | None:
    if a.start == b.start:
        return None
    first = a if a.start < b.start else b
    return _Decided(
        first, "longer-coverage", f"{first.label} has been in force longer (since {first.start})"
    )


RULES: tuple[_Rule, ...] = (
    _injury_first,
    _assistance_last,
    _medicaid_last,
    _tricare_after,
    _medicare,
    _dependent_reversal,
    _subscriber_first,
    _child,
    _active_first,
    _cobra_after,
    _longer,
)


def _compare(a: CoverageView, b: CoverageView, ctx: _Context) -> _Decided | None:
    for rule in RULES:
        decided = rule(a, b, ctx)
        if decided is not None:
            return decided
    return None


def _undetermined(problem: str) -> CobOrder:
    return CobOrder(None, "undetermined", problem, (), problem)


def determine_order(views: Sequence[CoverageView], patient: Patient) -> CobOrder:
    """Place this plan (the view with ``other`` None) among the patient's coverages."""
    ctx = _Context(patient, views)
    count = len(views)
    pinned = {v.pinned: v for v in views if v.pinned is not None}
    if len(pinned) != sum(v.pinned is not None for v in views) or any(p > count for p in pinned):
        return _undetermined("the orders on file leave no place for this plan")
    rest = [v for v in views if v.pinned is None]
    decisions: dict[tuple[int, int], _Decided] = {}
    wins = dict.fromkeys(range(len(rest)), 0)
    for (i, a), (j, b) in combinations(enumerate(rest), 2):
        decided = _compare(a, b, ctx)
        if decided is None:
            return _undetermined(
                f"no rule tells {a.label} and {b.label} apart: put the order on file"
            )
        decisions[(i, j)] = decisions[(j, i)] = decided
        wins[i if decided.first is a else j] += 1
    if len(set(wins.values())) != len(rest):
        return _undetermined("the order rules contradict each other: put the order on file")
    free = [p for p in range(1, count + 1) if p not in pinned]
    ranked = sorted(wins, key=lambda i: -wins[i])
    position = dict(pinned.items())
    position.update({free[rank]: rest[i] for rank, i in enumerate(ranked)})
    ours = next(v for v in views if v.other is None)
    mine = next(p for p, v in position.items() if v is ours)
    index = {id(v): i for i, v in enumerate(rest)}

    def why(other: CoverageView) -> tuple[str, str]:
        if other.pinned is not None:
            return ORDER_ON_FILE, f"{other.label} is {_place(other.pinned)} by the order on file"
        decided = decisions[(index[id(ours)], index[id(other)])]
        return decided.rule, decided.reason

    others = tuple(Placed(v, p, *why(v)) for p, v in sorted(position.items()) if v is not ours)
    neighbour = position.get(mine - 1) or position.get(mine + 1)
    rule, reason = why(neighbour) if neighbour is not None else ("", "no other coverage")
    return CobOrder(mine, rule, reason, others)


def _place(position: int) -> str:
    return {1: "primary", 2: "secondary", 3: "tertiary"}.get(position, f"payer {position}")
