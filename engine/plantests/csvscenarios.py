"""Plan test scenarios from a spreadsheet: one row per claim with the expected figures.

Business analysts keep test claims in spreadsheets; a CSV export loads as scenarios.
Rows with the same ``scenario`` name form one scenario, their claims processed in
file order. Amounts are dollars; ``expect_rejects`` lists codes separated by spaces.

Columns (``scenario``, ``ndc`` and ``expect_status`` are required):

- ``scenario``: the scenario's name; ``ndc``: the 11-digit NDC;
  ``expect_status``: P, R, D, A or S.
- The person: ``person`` (default 001) and, on the person's first row,
  ``relationship`` (1-4, default 1), ``member_date_of_birth`` (default 1980-01-01),
  ``member_gender`` (M/F/U, default F), ``deductible_met`` and ``out_of_pocket_met``
  (the accumulators before the scenario).
- The claim, as in the YAML scenarios: ``date_of_service`` (default: the file's),
  ``quantity`` and ``days_supply`` (default 30 and 30), ``pharmacy`` (retail, mail,
  specialty, out_of_network, unknown or a 10-digit NPI; default retail), ``daw``,
  ``usual_and_customary``, ``coupon``, ``fill``, ``refills_authorized``,
  ``date_written``, ``received``, ``date_of_birth`` (as the pharmacy sends it),
  ``compound_code``, ``product_id_qualifier``.
- The figures the plan promises (blank: not checked): ``expect_rejects``,
  ``expect_patient_pay``, ``expect_plan_pay``, ``expect_deductible``,
  ``expect_copay``, ``expect_coinsurance``, ``expect_penalty``,
  ``expect_remaining_deductible``, ``expect_remaining_out_of_pocket``.
- ``note``: the arithmetic, for the reader.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from engine.plans.tables import TableReader
from engine.plantests.model import Scenario
from engine.sourcefile import SourceFileError, SourceIssue, SourceRef

__all__ = ["load_csv_scenarios"]

_REQUIRED = ("scenario", "ndc", "expect_status")
_CLAIM = (
    "person",
    "date_of_service",
    "quantity",
    "days_supply",
    "pharmacy",
    "daw",
    "usual_and_customary",
    "coupon",
    "fill",
    "refills_authorized",
    "date_written",
    "received",
    "date_of_birth",
    "compound_code",
    "product_id_qualifier",
)
_PERSON = {
    "relationship": "relationship",
    "member_date_of_birth": "date_of_birth",
    "member_gender": "gender",
}
_MET = ("deductible_met", "out_of_pocket_met")
_EXPECT = (
    "expect_rejects",
    "expect_patient_pay",
    "expect_plan_pay",
    "expect_deductible",
    "expect_copay",
    "expect_coinsurance",
    "expect_penalty",
    "expect_remaining_deductible",
    "expect_remaining_out_of_pocket",
)


def _row_claim(row: dict[str, str]) -> dict[str, Any]:
    claim: dict[str, Any] = {"ndc": row["ndc"].strip()}
    for name in _CLAIM:
        value = row.get(name, "").strip()
        if value:
            claim[name] = value
    return claim


def _row_expect(row: dict[str, str]) -> dict[str, Any]:
    expect: dict[str, Any] = {"status": row["expect_status"].strip()}
    for name in _EXPECT:
        value = row.get(name, "").strip()
        if not value:
            continue
        key = name.removeprefix("expect_")
        expect[key] = tuple(value.split()) if key == "rejects" else value
    return expect


def load_csv_scenarios(path: Path) -> tuple[Scenario, ...]:
    """Read the scenarios of a CSV file; every problem is reported with its line."""
    reader = TableReader(path, _REQUIRED, (*_CLAIM, *_PERSON, *_MET, *_EXPECT, "note"))
    grouped: dict[str, dict[str, Any]] = {}
    first_line: dict[str, int] = {}
    for line, row in reader.rows():
        name = row["scenario"].strip()
        if name not in grouped:
            first_line[name] = line
            grouped[name] = {
                "name": name,
                "claims": [],
                "expect": [],
                "family": {"persons": []},
                "accumulators": {},
            }
        scenario = grouped[name]
        person = row.get("person", "").strip() or "001"
        if person not in [p["person_code"] for p in scenario["family"]["persons"]]:
            spec = {"person_code": person}
            for column, key in _PERSON.items():
                if row.get(column, "").strip():
                    spec[key] = row[column].strip()
            scenario["family"]["persons"].append(spec)
            met = {key.removesuffix("_met"): row.get(key, "").strip() for key in _MET}
            met = {key: value for key, value in met.items() if value}
            if met:
                scenario["accumulators"][person] = met
        scenario["claims"].append(_row_claim(row))
        scenario["expect"].append(_row_expect(row))
    reader.finish()
    scenarios, issues = [], []
    for name, data in grouped.items():
        try:
            scenarios.append(Scenario.model_validate(data))
        except ValidationError as exc:
            for error in exc.errors():
                where = ".".join(str(part) for part in error["loc"])
                issues.append(
                    SourceIssue(
                        SourceRef(str(path), first_line[name], 1),
                        f"scenario {name!r}: {where}: {error['msg']}",
                    )
                )
    if issues:
        raise SourceFileError(issues)
    return tuple(scenarios)
