"""A member's other coverage, as eligibility files carry it.

A family may carry a ``cob`` block in a members file::

    cob:
      employment: active        # the cardholder's status behind this plan's coverage
      employer_size: 250        # the employer's size, for the Medicare rules
      custody: custodial        # for children of parents who do not live together
      medicare:                 # persons entitled to Medicare, and why
        "001": {basis: esrd, esrd_coordination_start: 2025-09-01}
      other_coverage:
        - kind: group_health
          name: SPOUSE EMPLOYER PLAN
          bin: "012345"
          pcn: SPOUSEPCN
          group: SPOUSE01
          cardholder_id: SPX1234567
          help_desk_phone: "8005550123"
          start: 2024-01-01
          employment: active
          employer_size: 40
          subscriber_birthday: 03-15   # month and day only: the birthday rule
          persons:
            - {person_code: "001", relationship: "2", other_person_code: "02"}

``order`` (primary, secondary, tertiary) on an other-coverage record pins its
place; records without one are placed by the order rules (``engine.cob.order``).
A person has at most two other coverages in force on any day: with this plan,
three payers per claim.

The same block, as JSON, is what the SQL members directory stores with the family
(``family_cob_to_json`` / ``family_cob_from_json``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, PlainSerializer, field_validator, model_validator

from engine.cob.payers import Custody, Employment, MedicareBasis, PayerKind
from engine.plans.fields import FileModel

__all__ = [
    "MAX_OTHER_COVERAGES",
    "CoveredPerson",
    "FamilyCob",
    "FamilyCobModel",
    "MedicareEntitlement",
    "OtherCoverage",
    "check_family_cob",
    "family_cob_from_json",
    "family_cob_from_model",
    "family_cob_to_json",
    "merge_family_cob",
]

MAX_OTHER_COVERAGES = 2
"""Other coverages in force for one person on one day: three payers per claim in all."""

_ORDERS = {"primary": 1, "secondary": 2, "tertiary": 3}
_NAMES = {position: name for name, position in _ORDERS.items()}


def _birthday(value: Any) -> tuple[int, int]:
    """``MM-DD`` of a birthday; 02-29 is a birthday even though it starts no plan year."""
    if isinstance(value, tuple):
        month, day = value
    else:
        try:
            month_text, day_text = str(value).strip().split("-")
            month, day = int(month_text), int(day_text)
        except ValueError as exc:
            raise ValueError(f"write a birthday as MM-DD, like 03-15: got {value!r}") from exc
    try:
        dt.date(2000, month, day)
    except ValueError as exc:
        raise ValueError(f"not a day of the year: {value!r}") from exc
    return month, day


Birthday = Annotated[
    tuple[int, int],
    BeforeValidator(_birthday),
    PlainSerializer(lambda md: f"{md[0]:02d}-{md[1]:02d}"),
]
"""A month and day with no year: the birthday rule compares only these."""


class CoveredPersonModel(FileModel):
    """A person of the family covered by the other plan, as that plan knows them."""

    person_code: str = Field(pattern=r"^\d{3}$")
    """The person code in this family (303-C3)."""
    relationship: Literal["1", "2", "3", "4"]
    """The person's relationship to the other plan's subscriber: 1 subscriber, 2 spouse,
    3 child, 4 other (143-UW)."""
    other_person_code: str | None = Field(default=None, pattern=r"^[0-9A-Z]{1,3}$")
    """The person code the other plan uses (142-UV)."""


class OtherCoverageModel(FileModel):
    """One other coverage, as written in a members file."""

    kind: PayerKind
    name: str | None = Field(default=None, max_length=60)
    bin: str = Field(pattern=r"^\d{6}$")
    pcn: str | None = Field(default=None, pattern=r"^[\x20-\x7E]{1,10}$")
    group: str | None = Field(default=None, pattern=r"^[\x20-\x7E]{1,15}$")
    cardholder_id: str = Field(pattern=r"^[\x20-\x7E]{1,20}$")
    help_desk_phone: str | None = Field(default=None, pattern=r"^\d{1,18}$")
    persons: tuple[CoveredPersonModel, ...] = Field(min_length=1)
    start: dt.date
    end: dt.date | None = None
    order: Literal["primary", "secondary", "tertiary"] | None = None
    employment: Employment | None = None
    """For a group health plan: the subscriber's status (active when absent)."""
    employer_size: int | None = Field(default=None, gt=0)
    subscriber_birthday: Birthday | None = None
    custody: Custody | None = None

    @model_validator(mode="after")
    def _coherent(self) -> OtherCoverageModel:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"other coverage ends ({self.end}) before it starts ({self.start})")
        if self.kind is not PayerKind.GROUP_HEALTH and (
            self.employment is not None or self.employer_size is not None
        ):
            raise ValueError("employment and employer_size describe group health plans only")
        codes = [p.person_code for p in self.persons]
        if len(set(codes)) != len(codes):
            raise ValueError("a person code appears twice in one other coverage")
        return self


class MedicareEntitlementModel(FileModel):
    """Why a person has Medicare; ESRD needs the start of its 30-month coordination period."""

    basis: MedicareBasis
    esrd_coordination_start: dt.date | None = None

    @model_validator(mode="after")
    def _esrd(self) -> MedicareEntitlementModel:
        if (self.basis is MedicareBasis.ESRD) != (self.esrd_coordination_start is not None):
            raise ValueError("esrd_coordination_start goes with basis: esrd, and only with it")
        return self


class FamilyCobModel(FileModel):
    """A family's coordination-of-benefits facts, as written in a members file."""

    employment: Employment | None = None
    """The cardholder's status behind this plan's coverage (active when absent)."""
    employer_size: int | None = Field(default=None, gt=0)
    custody: Custody | None = None
    """For the family's children whose parents do not live together: the cardholder's."""
    medicare: dict[str, MedicareEntitlementModel] = Field(default_factory=dict)
    other_coverage: tuple[OtherCoverageModel, ...] = ()

    @field_validator("medicare")
    @classmethod
    def _person_codes(
        cls, value: dict[str, MedicareEntitlementModel]
    ) -> dict[str, MedicareEntitlementModel]:
        for code in value:
            if not (len(code) == 3 and code.isdigit()):
                raise ValueError(f"medicare is keyed by three-digit person codes: got {code!r}")
        return value


@dataclass(frozen=True, slots=True)
class CoveredPerson:
    """A person's place under another coverage: relationship (143-UW), person code (142-UV)."""

    relationship: str
    other_person_code: str | None


@dataclass(frozen=True, slots=True)
class OtherCoverage:
    """Another payer covering persons of the family for a date range.

    ``order`` is the position pinned on file (1 primary, 2 secondary, 3 tertiary),
    or None when the order rules decide it.
    """

    kind: PayerKind
    name: str | None
    bin: str
    pcn: str | None
    group: str | None
    cardholder_id: str
    help_desk_phone: str | None
    persons: Mapping[str, CoveredPerson]
    start: dt.date
    end: dt.date | None
    order: int | None = None
    employment: Employment | None = None
    employer_size: int | None = None
    subscriber_birthday: tuple[int, int] | None = None
    custody: Custody | None = None

    def covers(self, person_code: str, day: dt.date) -> bool:
        """Whether the coverage is in force for the person on ``day``."""
        return (
            person_code in self.persons
            and self.start <= day
            and (self.end is None or day <= self.end)
        )

    @property
    def label(self) -> str:
        """How traces and messages name the payer (never the member's id there)."""
        return f"{self.kind.value} BIN {self.bin}" + (f" GROUP {self.group}" if self.group else "")


@dataclass(frozen=True, slots=True)
class MedicareEntitlement:
    """A person's Medicare entitlement basis (and the ESRD coordination period's start)."""

    basis: MedicareBasis
    esrd_coordination_start: dt.date | None = None


@dataclass(frozen=True, slots=True)
class FamilyCob:
    """A family's coordination-of-benefits facts (see the module docstring)."""

    employment: Employment | None = None
    employer_size: int | None = None
    custody: Custody | None = None
    medicare: Mapping[str, MedicareEntitlement] = field(default_factory=dict)
    other_coverage: tuple[OtherCoverage, ...] = ()

    def other_coverage_for(self, person_code: str, day: dt.date) -> tuple[OtherCoverage, ...]:
        """The person's other coverages in force on ``day``."""
        return tuple(c for c in self.other_coverage if c.covers(person_code, day))


def _other_coverage(model: OtherCoverageModel) -> OtherCoverage:
    return OtherCoverage(
        kind=model.kind,
        name=model.name,
        bin=model.bin,
        pcn=model.pcn,
        group=model.group,
        cardholder_id=model.cardholder_id,
        help_desk_phone=model.help_desk_phone,
        persons={
            p.person_code: CoveredPerson(p.relationship, p.other_person_code) for p in model.persons
        },
        start=model.start,
        end=model.end,
        order=_ORDERS[model.order] if model.order else None,
        employment=model.employment,
        employer_size=model.employer_size,
        subscriber_birthday=model.subscriber_birthday,
        custody=model.custody,
    )


def family_cob_from_model(model: FamilyCobModel) -> FamilyCob:
    """The engine's frozen form of a validated ``cob`` block."""
    return FamilyCob(
        employment=model.employment,
        employer_size=model.employer_size,
        custody=model.custody,
        medicare={
            code: MedicareEntitlement(m.basis, m.esrd_coordination_start)
            for code, m in model.medicare.items()
        },
        other_coverage=tuple(_other_coverage(c) for c in model.other_coverage),
    )


def _overlap(a: OtherCoverage, b: OtherCoverage) -> bool:
    return a.start <= (b.end or dt.date.max) and b.start <= (a.end or dt.date.max)


def check_family_cob(model: FamilyCobModel, person_codes: Iterable[str]) -> None:
    """Check a ``cob`` block against its family; ValueError says what is wrong.

    Every person named must be in the family; a person has at most
    ``MAX_OTHER_COVERAGES`` other coverages in force on any day (the most that are
    in force together always are on one of their start dates), and two that overlap
    cannot pin the same order.
    """
    known = set(person_codes)
    for code in model.medicare:
        if code not in known:
            raise ValueError(f"cob.medicare names person code {code}, not in the family")
    cob = family_cob_from_model(model)
    for coverage in cob.other_coverage:
        for code in coverage.persons:
            if code not in known:
                raise ValueError(f"other coverage names person code {code}, not in the family")
    for code in sorted(known):
        mine = [c for c in cob.other_coverage if code in c.persons]
        for record in mine:
            if len(cob.other_coverage_for(code, record.start)) > MAX_OTHER_COVERAGES:
                raise ValueError(
                    f"person {code} has more than {MAX_OTHER_COVERAGES} other coverages "
                    f"in force on {record.start}: with this plan, at most three payers per claim"
                )
            for other in mine:
                pinned_twice = record.order is not None and record.order == other.order
                if other is not record and pinned_twice and _overlap(record, other):
                    raise ValueError(
                        f"person {code}: two other coverages in force together both "
                        f"pin the {_NAMES[record.order or 0]} order"
                    )


def _json_coverage(c: OtherCoverage) -> dict[str, Any]:
    return {
        "kind": c.kind.value,
        "name": c.name,
        "bin": c.bin,
        "pcn": c.pcn,
        "group": c.group,
        "cardholder_id": c.cardholder_id,
        "help_desk_phone": c.help_desk_phone,
        "persons": [
            {
                "person_code": code,
                "relationship": p.relationship,
                "other_person_code": p.other_person_code,
            }
            for code, p in sorted(c.persons.items())
        ],
        "start": c.start.isoformat(),
        "end": c.end.isoformat() if c.end else None,
        "order": _NAMES[c.order] if c.order else None,
        "employment": c.employment.value if c.employment else None,
        "employer_size": c.employer_size,
        "subscriber_birthday": (
            f"{c.subscriber_birthday[0]:02d}-{c.subscriber_birthday[1]:02d}"
            if c.subscriber_birthday
            else None
        ),
        "custody": c.custody.value if c.custody else None,
    }


def family_cob_to_json(cob: FamilyCob) -> dict[str, Any]:
    """The ``cob`` block as JSON-ready data, in the members-file shape."""
    return {
        "employment": cob.employment.value if cob.employment else None,
        "employer_size": cob.employer_size,
        "custody": cob.custody.value if cob.custody else None,
        "medicare": {
            code: {
                "basis": m.basis.value,
                "esrd_coordination_start": (
                    m.esrd_coordination_start.isoformat() if m.esrd_coordination_start else None
                ),
            }
            for code, m in sorted(cob.medicare.items())
        },
        "other_coverage": [_json_coverage(c) for c in cob.other_coverage],
    }


def family_cob_from_json(data: Mapping[str, Any]) -> FamilyCob:
    """The inverse of ``family_cob_to_json`` (validated as a members file would be)."""
    return family_cob_from_model(FamilyCobModel.model_validate(data))


def _key(c: OtherCoverage) -> tuple[str, str, str | None, str | None, str, dt.date]:
    return (c.kind.value, c.bin, c.pcn, c.group, c.cardholder_id, c.start)


def merge_family_cob(existing: FamilyCob | None, incoming: FamilyCob | None) -> FamilyCob | None:
    """The family's COB facts after a load.

    A load without a ``cob`` block keeps what is on file. With one, its employment
    facts replace the old, Medicare entitlements are added or updated by person, and
    other-coverage records are added or updated by (kind, BIN, PCN, group, cardholder
    id, start) and never deleted: an end date terminates one, so claims dated before
    still see the coverage they had. Records keep the order they were first loaded in
    (new ones last), so reloading the same file finds the family unchanged.
    """
    if incoming is None:
        return existing
    if existing is None:
        return incoming
    medicare = dict(existing.medicare)
    medicare.update(incoming.medicare)
    records = {_key(c): c for c in existing.other_coverage}
    records.update({_key(c): c for c in incoming.other_coverage})
    return FamilyCob(
        employment=incoming.employment,
        employer_size=incoming.employer_size,
        custody=incoming.custody,
        medicare=medicare,
        other_coverage=tuple(records.values()),
    )
