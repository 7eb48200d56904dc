"""Formularies: which drugs a plan covers, on which tier, under which limits.

The YAML file names the version and its effective range; the drug list itself is a
CSV table beside it (``drugs:``), because formularies run to tens of thousands of
NDCs and are maintained in spreadsheets.

Drug table columns (header names case-insensitive):

============== ==============================================================
ndc            11-digit NDC (hyphens allowed)                         required
name           drug name and strength                                 required
tier           cost-share tier (1, 2, 3, ...)                         required
group          therapeutic equivalence group: fills of any NDC in the same
               group count together for refill-too-soon (default: ndc)
brand          Y for a brand product
multi_source   Medi-Span style code M, N, O or Y
generic_ndc    the generic equivalent whose price limits a DAW brand penalty
classes        drug classes separated by ``|`` (insulin, specialty, preventive, ...)
excluded       Y when the plan excludes the drug
pa_required    Y when prior authorization is required
ql_units       quantity limit: units allowed ...
ql_days        ... per this many days of supply
min_age        youngest covered age in years
max_age        oldest covered age in years
gender         M or F when the drug is limited to one
step_therapy   a drug class the member must have filled before (step therapy)
============== ==============================================================
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Literal

from engine.plans.fields import Effective, FileModel, VersionId
from engine.plans.tables import TableReader, parse_bool, parse_decimal, parse_int, parse_ndc

__all__ = ["Drug", "Formulary", "FormularyFile", "load_formulary_table"]

_COLUMNS_REQUIRED = ("ndc", "name", "tier")
_COLUMNS_OPTIONAL = (
    "group",
    "brand",
    "multi_source",
    "generic_ndc",
    "classes",
    "excluded",
    "pa_required",
    "ql_units",
    "ql_days",
    "min_age",
    "max_age",
    "gender",
    "step_therapy",
)


class FormularyFile(FileModel):
    """The YAML part of a formulary version."""

    kind: Literal["formulary"]
    formulary: str
    version: VersionId
    effective: Effective
    drugs: str
    """The CSV drug table, relative to this file."""


@dataclass(frozen=True, slots=True)
class Drug:
    """One NDC as the formulary describes it."""

    ndc: str
    name: str
    tier: int
    group: str
    brand: bool = False
    multi_source: str = ""
    generic_ndc: str | None = None
    classes: frozenset[str] = frozenset()
    excluded: bool = False
    pa_required: bool = False
    ql_units: Decimal | None = None
    ql_days: int | None = None
    min_age: int | None = None
    max_age: int | None = None
    gender: str | None = None
    step_therapy: str | None = None


@dataclass(frozen=True, slots=True)
class Formulary:
    """A loaded formulary version: NDC → Drug, looked up in constant time."""

    formulary: str
    version: str
    effective: Effective
    drugs: dict[str, Drug]

    def get(self, ndc: str) -> Drug | None:
        """The drug for an NDC, or None when the formulary does not list it."""
        return self.drugs.get(ndc)


def _gender(text: str) -> str | None:
    value = text.strip().upper()
    if value not in ("", "M", "F"):
        raise ValueError(f"gender is M, F or blank: got {text!r}")
    return value or None


def _multi_source(text: str) -> str:
    value = text.strip().upper()
    if value not in ("", "M", "N", "O", "Y"):
        raise ValueError(f"multi_source is M, N, O, Y or blank: got {text!r}")
    return value


def _optional_ndc(text: str) -> str | None:
    return parse_ndc(text) if text.strip() else None


def _tier(text: str) -> int:
    value = parse_int(text)
    if value is None or value < 1:
        raise ValueError(f"a tier is a whole number from 1: got {text!r}")
    return value


def _classes(text: str) -> frozenset[str]:
    return frozenset(part.strip().lower() for part in text.split("|") if part.strip())


def load_formulary_table(path: Path) -> dict[str, Drug]:
    """Read the drug table; every bad cell is reported, and a bad table loads nothing."""
    reader = TableReader(path, _COLUMNS_REQUIRED, _COLUMNS_OPTIONAL)
    drugs: dict[str, Drug] = {}
    lines: dict[str, int] = {}
    for line, row in reader.rows():
        try:
            ndc = reader.cell(line, row, "ndc", parse_ndc)
            ql_units = reader.cell(line, row, "ql_units", parse_decimal)
            ql_days = reader.cell(line, row, "ql_days", parse_int)
            drug = Drug(
                ndc=ndc,
                name=row["name"].strip(),
                tier=reader.cell(line, row, "tier", _tier),
                group=row.get("group", "").strip() or ndc,
                brand=reader.cell(line, row, "brand", parse_bool),
                multi_source=reader.cell(line, row, "multi_source", _multi_source),
                generic_ndc=reader.cell(line, row, "generic_ndc", _optional_ndc),
                classes=_classes(row.get("classes", "")),
                excluded=reader.cell(line, row, "excluded", parse_bool),
                pa_required=reader.cell(line, row, "pa_required", parse_bool),
                ql_units=ql_units,
                ql_days=ql_days,
                min_age=reader.cell(line, row, "min_age", parse_int),
                max_age=reader.cell(line, row, "max_age", parse_int),
                gender=reader.cell(line, row, "gender", _gender),
                step_therapy=row.get("step_therapy", "").strip().lower() or None,
            )
        except ValueError:
            continue
        if (ql_units is None) != (ql_days is None):
            reader.issues.append(reader.issue(line, "ql_units and ql_days go together"))
            continue
        if ndc in drugs:
            reader.issues.append(
                reader.issue(line, f"NDC {ndc} already listed on line {lines[ndc]}")
            )
            continue
        drugs[ndc] = drug
        lines[ndc] = line
    for ndc, drug in drugs.items():
        if drug.generic_ndc is not None and drug.generic_ndc not in drugs:
            reader.issues.append(
                reader.issue(lines[ndc], f"generic_ndc {drug.generic_ndc} is not in the table")
            )
    reader.finish()
    return drugs
