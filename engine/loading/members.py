"""Eligibility files: members and their coverage, from CSV or from a members file (JSON/YAML).

CSV columns (header required, any order), one row per person and coverage record:

================ ======== ===========================================================
column           required meaning
================ ======== ===========================================================
cardholder_id    yes      the family (302-C2); a family's rows must be consecutive
person_code      yes      three digits (303-C3)
relationship     yes      1 cardholder, 2 spouse, 3 child, 4 other (306-C6)
first_name       yes      never logged
last_name        yes      never logged
date_of_birth    yes      YYYY-MM-DD; never logged
gender           yes      M, F or U
plan             no       plan id (``HMO-GOLD``); empty for a person without coverage
group            no       group id (301-C1); required with plan
coverage_start   no       YYYY-MM-DD; required with plan
coverage_end     no       YYYY-MM-DD, inclusive; empty while in force
================ ======== ===========================================================

Rows of one family with the same plan, group and start form one coverage record
covering those persons.

Other coverage (coordination of benefits), optional columns; a row with
``other_bin`` adds its person to one other coverage, and rows of a family with the
same kind, BIN, PCN, group, cardholder id and start form one (a person with two
other coverages, or none of this plan's, takes one more row with ``plan`` empty):

========================= ====================================================
column                    meaning
========================= ====================================================
other_kind                ``group_health``, ``individual``, ``medicare``, ``medicaid``,
                          ``tricare``, ... (``engine.cob.payers.PayerKind``)
other_name                the other plan's name, for people
other_bin                 the other payer's BIN (6 digits)
other_pcn                 its PCN
other_group               its group id
other_cardholder_id       the member's id with it (never logged)
other_relationship        the person's relationship to its subscriber: 1-4 as above
other_person_code         the person code it uses
other_start               YYYY-MM-DD
other_end                 YYYY-MM-DD, inclusive; empty while in force
other_order               ``primary``, ``secondary`` or ``tertiary`` when the order is
                          known; empty: rxadj orders the payers by the standard rules
other_employment          for a group health plan: ``active``, ``retired`` or ``cobra``
other_subscriber_birthday MM-DD, for the birthday rule
========================= ====================================================

The family-level facts that order payers (this plan's employment status, custody,
Medicare entitlement) have no columns: give them in a members file.

JSON and YAML files have the ``MembersFile`` shape of ``engine.plans.members`` (the
sample members file loads as is).

Loading merges each family into what is on file (``merge_family``): persons are
added or updated, coverage records are added or updated by (plan, group, start)
and never deleted, so claims dated before a change still find the coverage they
had. A new record that starts later than an open record covering the same
persons (or more) closes that record the day before: a plan change takes effect
from the new record's start, a termination from the end date it carries. A
family's other coverage (the ``cob`` block of a members file) is merged the same
way (``engine.cob.coverage.merge_family_cob``). Loading the same file twice
changes nothing the second time.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol, TextIO

import yaml
from pydantic import ValidationError

from engine.cob.coverage import merge_family_cob
from engine.loading.summary import LoadSummary, Progress
from engine.plans.members import Coverage, Family, family_from_model
from engine.plans.members import FamilyModel as _FamilyModel
from engine.store.base import StoreError

__all__ = [
    "CSV_COLUMNS",
    "MemberWriter",
    "ParsedFamily",
    "csv_families",
    "document_families",
    "load_members",
    "merge_family",
]

CSV_COLUMNS = (
    "cardholder_id",
    "person_code",
    "relationship",
    "first_name",
    "last_name",
    "date_of_birth",
    "gender",
)
_COVERAGE_COLUMNS = ("plan", "group", "coverage_start", "coverage_end")
_OTHER_COLUMNS = (
    "other_kind",
    "other_name",
    "other_bin",
    "other_pcn",
    "other_group",
    "other_cardholder_id",
    "other_relationship",
    "other_person_code",
    "other_start",
    "other_end",
    "other_order",
    "other_employment",
    "other_subscriber_birthday",
)
_ALL_COLUMNS = (*CSV_COLUMNS, *_COVERAGE_COLUMNS, *_OTHER_COLUMNS)
_OTHER_KEY = ("kind", "bin", "pcn", "group", "cardholder_id", "start")
_OTHER_REQUIRED = ("other_kind", "other_cardholder_id", "other_relationship", "other_start")
_CHUNK = 200

ParsedFamily = tuple[int, str | None, Family | str]
"""(first row or position, cardholder id, the family or the reason it was rejected)."""


def _validated(data: Mapping[str, Any]) -> Family | str:
    try:
        return family_from_model(_FamilyModel.model_validate(data))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return f"{where}: {first['msg']}" if where else str(first["msg"])


def _add_other_coverage(others: dict[tuple[str, ...], dict[str, Any]], row: dict[str, str]) -> str:
    """Put the row's person under its other coverage; what is wrong, or ``""``."""
    missing = [name for name in _OTHER_REQUIRED if not row[name]]
    if missing:
        return f"other coverage needs {', '.join(missing)} with other_bin"
    record = {
        name.removeprefix("other_"): row[name] or None
        for name in _OTHER_COLUMNS
        if name not in ("other_relationship", "other_person_code")
    }
    key = tuple(record[name] or "" for name in _OTHER_KEY)
    found = others.setdefault(key, {**record, "persons": []})
    if {k: v for k, v in found.items() if k != "persons"} != record:
        return f"other coverage {row['other_bin']} from {row['other_start']} is described twice"
    found["persons"].append(
        {
            "person_code": row["person_code"],
            "relationship": row["other_relationship"],
            "other_person_code": row["other_person_code"] or None,
        }
    )
    return ""


def _csv_family(rows: list[dict[str, str]]) -> Family | str:
    persons: dict[str, dict[str, str]] = {}
    coverages: dict[tuple[str, str, str], dict[str, Any]] = {}
    others: dict[tuple[str, ...], dict[str, Any]] = {}
    for row in rows:
        person = {name: row[name] for name in CSV_COLUMNS[1:]}
        earlier = persons.setdefault(row["person_code"], person)
        if earlier != person:
            return f"person {row['person_code']} appears twice with different details"
        if row["other_bin"] and (problem := _add_other_coverage(others, row)):
            return problem
        if not row["plan"]:
            continue
        if not row["group"] or not row["coverage_start"]:
            return "a coverage needs plan, group and coverage_start"
        key = (row["plan"], row["group"], row["coverage_start"])
        record = coverages.setdefault(
            key,
            {
                "plan": row["plan"],
                "group": row["group"],
                "start": row["coverage_start"],
                "end": row["coverage_end"] or None,
                "persons": [],
            },
        )
        if record["end"] != (row["coverage_end"] or None):
            return f"coverage {'/'.join(key)} has two different end dates"
        record["persons"].append(row["person_code"])
    family: dict[str, Any] = {
        "cardholder_id": rows[0]["cardholder_id"],
        "persons": list(persons.values()),
        "coverages": list(coverages.values()),
    }
    if others:
        family["cob"] = {
            "other_coverage": [
                {name: value for name, value in other.items() if value is not None}
                for other in others.values()
            ]
        }
    return _validated(family)


def csv_families(handle: TextIO) -> Iterator[ParsedFamily]:
    """Families from an eligibility CSV; ValueError at once if the header lacks a column."""
    reader = csv.DictReader(handle)
    header = reader.fieldnames or []
    missing = [name for name in CSV_COLUMNS if name not in header]
    if missing:
        raise ValueError(f"the header lacks column(s): {', '.join(missing)}")
    return _grouped(reader)


def _grouped(reader: csv.DictReader[str]) -> Iterator[ParsedFamily]:
    seen: set[str] = set()
    group: list[dict[str, str]] = []
    start = 2
    for number, raw in enumerate(reader, start=2):
        row = {name: (raw.get(name) or "").strip() for name in _ALL_COLUMNS}
        if group and row["cardholder_id"] != group[0]["cardholder_id"]:
            yield start, group[0]["cardholder_id"], _csv_family(group)
            group = []
        if not group:
            start = number
            if row["cardholder_id"] in seen:
                yield number, row["cardholder_id"], "the family's rows are not consecutive"
                continue
            seen.add(row["cardholder_id"])
        group.append(row)
    if group:
        yield start, group[0]["cardholder_id"], _csv_family(group)


def document_families(path: Path) -> Iterator[ParsedFamily]:
    """Families from a members file (JSON or YAML); each family validated on its own."""
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise ValueError(f"not a members file: {exc}") from None
    if not isinstance(data, dict) or data.get("kind") != "members":
        raise ValueError("not a members file: it needs kind: members and families")
    families = data.get("families")
    if not isinstance(families, list):
        raise ValueError("not a members file: families must be a list")
    return (
        (
            index,
            str(item.get("cardholder_id")) if isinstance(item, dict) else None,
            _validated(item) if isinstance(item, dict) else "a family must be an object",
        )
        for index, item in enumerate(families, start=1)
    )


def merge_family(existing: Family | None, incoming: Family) -> Family:
    """The family after loading ``incoming`` over what is on file (see the module docstring)."""
    persons = dict(existing.persons) if existing else {}
    persons.update(incoming.persons)
    records: dict[tuple[str, str, dt.date], Coverage] = {}
    for coverage in (*(existing.coverages if existing else ()), *incoming.coverages):
        records[(coverage.plan, coverage.group, coverage.start)] = coverage
    ordered = sorted(records.values(), key=lambda c: (c.start, c.plan, c.group))
    closed = []
    for record in ordered:
        later = [c.start for c in ordered if c.start > record.start and c.persons >= record.persons]
        if record.end is None and later:
            closed.append(dataclasses.replace(record, end=min(later) - dt.timedelta(days=1)))
        else:
            closed.append(record)
    cob = merge_family_cob(existing.cob if existing else None, incoming.cob)
    return Family(incoming.cardholder_id, persons, tuple(closed), cob)


class MemberWriter(Protocol):
    """Where families are merged (the SQL members tables)."""

    def merge(self, families: Sequence[Family]) -> list[str]:
        """Merge in one transaction; for each family: added, changed or unchanged."""
        ...


def load_members(
    parsed: Iterable[ParsedFamily], writer: MemberWriter, progress: Progress | None = None
) -> LoadSummary:
    """Merge every valid family; accepted = added or changed, duplicate = unchanged."""
    summary = LoadSummary()
    chunk: list[tuple[int, Family]] = []

    def flush() -> None:
        try:
            outcomes = writer.merge([family for _, family in chunk])
        except StoreError:
            outcomes = []
            for number, family in chunk:
                try:
                    outcomes.extend(writer.merge([family]))
                except StoreError as exc:
                    summary.reject(number, str(exc), family.cardholder_id)
                    outcomes.append("rejected")
        for outcome in outcomes:
            if outcome == "unchanged":
                summary.duplicate += 1
            elif outcome != "rejected":
                summary.accepted += 1
        if progress is not None:
            progress(len(chunk))
        chunk.clear()

    for number, cardholder_id, family in parsed:
        if isinstance(family, str):
            summary.reject(number, family, cardholder_id)
            if progress is not None:
                progress(1)
            continue
        chunk.append((number, family))
        if len(chunk) >= _CHUNK:
            flush()
    if chunk:
        flush()
    return summary
