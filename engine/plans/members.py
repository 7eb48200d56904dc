"""Members and their coverage: who is covered, under which plan and group, when.

A family is one cardholder id; persons in it are told apart by person code. A
coverage record says which persons a plan covers from when to when; a member who
changes plans or terminates gets a new or closed record, and claims are judged by
the record in force on their date of service.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal, Protocol

from pydantic import Field, model_validator

from engine.cob.coverage import FamilyCob, FamilyCobModel, check_family_cob, family_cob_from_model
from engine.plans.fields import FileModel

__all__ = [
    "Coverage",
    "Family",
    "MemberDirectory",
    "MembersFile",
    "Person",
    "family_from_model",
]


class PersonModel(FileModel):
    """A person as written in a members file."""

    person_code: str = Field(pattern=r"^\d{3}$")
    relationship: Literal["1", "2", "3", "4"]
    first_name: str
    last_name: str
    date_of_birth: dt.date
    gender: Literal["M", "F", "U"]


class CoverageModel(FileModel):
    """A coverage record as written in a members file."""

    plan: str
    group: str
    start: dt.date
    end: dt.date | None = None
    persons: tuple[str, ...] | None = None
    """Person codes covered; all persons of the family when absent."""

    @model_validator(mode="after")
    def _ordered(self) -> CoverageModel:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"coverage ends ({self.end}) before it starts ({self.start})")
        return self


class FamilyModel(FileModel):
    """A family as written in a members file."""

    cardholder_id: str = Field(min_length=1, max_length=20)
    persons: tuple[PersonModel, ...] = Field(min_length=1)
    coverages: tuple[CoverageModel, ...] = ()
    cob: FamilyCobModel | None = None
    """Other coverage and the facts that order it (see ``engine.cob.coverage``)."""

    @model_validator(mode="after")
    def _consistent(self) -> FamilyModel:
        codes = [p.person_code for p in self.persons]
        if len(set(codes)) != len(codes):
            raise ValueError("a person code appears twice in the family")
        for coverage in self.coverages:
            for code in coverage.persons or ():
                if code not in codes:
                    raise ValueError(f"coverage names person code {code}, not in the family")
        if self.cob is not None:
            check_family_cob(self.cob, codes)
        return self


class MembersFile(FileModel):
    """A members file: families with persons and coverage records."""

    kind: Literal["members"]
    members: str
    families: tuple[FamilyModel, ...]


@dataclass(frozen=True, slots=True)
class Person:
    """A covered or formerly covered person. Names and birth dates never go to logs."""

    person_code: str
    relationship: str
    first_name: str
    last_name: str
    date_of_birth: dt.date
    gender: str


@dataclass(frozen=True, slots=True)
class Coverage:
    """Coverage of some persons of a family under one plan and group for a date range."""

    plan: str
    group: str
    start: dt.date
    end: dt.date | None
    persons: frozenset[str]

    def covers(self, day: dt.date) -> bool:
        """Whether the record is in force on ``day``."""
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class Family:
    """One cardholder id with its persons, coverage records and other coverage."""

    cardholder_id: str
    persons: dict[str, Person]
    coverages: tuple[Coverage, ...]
    cob: FamilyCob | None = None

    def coverage_for(self, person_code: str, plan: str, day: dt.date) -> Coverage | None:
        """The person's record under ``plan`` nearest to ``day``.

        In force on the day, else the latest before it, else the earliest after it — so
        a claim outside coverage can say which way it missed.
        """
        records = [c for c in self.coverages if c.plan == plan and person_code in c.persons]
        if not records:
            return None
        for record in records:
            if record.covers(day):
                return record
        before = [c for c in records if c.start <= day]
        if before:
            return max(before, key=lambda c: c.start)
        return min(records, key=lambda c: c.start)


class MemberDirectory(Protocol):
    """Where eligibility comes from: a file in memory, or the ledger's members table."""

    def family(self, cardholder_id: str) -> Family | None:
        """The family with this cardholder id, or None."""
        ...


def family_from_model(model: FamilyModel) -> Family:
    """Turn a validated family record into the engine's frozen form."""
    persons = {
        p.person_code: Person(
            person_code=p.person_code,
            relationship=p.relationship,
            first_name=p.first_name,
            last_name=p.last_name,
            date_of_birth=p.date_of_birth,
            gender=p.gender,
        )
        for p in model.persons
    }
    coverages = tuple(
        Coverage(
            plan=c.plan,
            group=c.group,
            start=c.start,
            end=c.end,
            persons=frozenset(c.persons) if c.persons is not None else frozenset(persons),
        )
        for c in model.coverages
    )
    return Family(
        cardholder_id=model.cardholder_id,
        persons=persons,
        coverages=coverages,
        cob=family_cob_from_model(model.cob) if model.cob is not None else None,
    )
