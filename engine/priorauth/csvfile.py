"""Prior authorizations from a CSV file, as clinical review teams export them.

One row per approval. Columns (``number``, ``cardholder_id``, ``person_code``,
``start``, ``end``, ``lifts`` and ``approved_by`` are required):

- ``number``: the PA number, up to 11 digits (leading zeros do not matter).
- ``cardholder_id``, ``person_code``: the member.
- The drug, exactly one of ``ndc`` (11 digits), ``drug_group`` (a formulary drug
  group, e.g. ``atorvastatin 20mg tab``) or ``drug_class`` (a formulary class, e.g.
  ``statin``).
- ``start``, ``end``: the dates the approval is in force (YYYY-MM-DD, inclusive).
- ``lifts``: what it lifts, separated by spaces: ``prior-authorization``,
  ``quantity-limit``, ``days-supply-limit``, ``age-limit``, ``gender-limit``,
  ``step-therapy``, ``tier-exception``.
- ``quantity`` and ``per_days``: the approved quantity per days (with
  ``quantity-limit`` only); ``max_days_supply`` (with ``days-supply-limit`` only);
  ``tier``: the tier whose cost share applies (with ``tier-exception`` only).
- ``approved_by``: who approved it (a reviewer's name or id).

Every bad cell is reported with its line, and a file with any problem loads nothing.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from engine.plans.tables import TableReader
from engine.priorauth.model import PriorAuthModel, PriorAuthorization, prior_auth_from_model
from engine.sourcefile import SourceFileError, SourceIssue, SourceRef

__all__ = ["COLUMNS", "load_prior_auths"]

_REQUIRED = ("number", "cardholder_id", "person_code", "start", "end", "lifts", "approved_by")
_OPTIONAL = (
    "ndc",
    "drug_group",
    "drug_class",
    "quantity",
    "per_days",
    "max_days_supply",
    "tier",
)
COLUMNS = (*_REQUIRED, *_OPTIONAL)
"""Every column a prior-authorization file may have."""


def load_prior_auths(path: Path) -> tuple[PriorAuthorization, ...]:
    """Every approval of the file; raises SourceFileError listing each problem."""
    reader = TableReader(path, _REQUIRED, _OPTIONAL)
    found: list[PriorAuthorization] = []
    lines: dict[str, int] = {}
    issues: list[SourceIssue] = []
    for line, row in reader.rows():
        data = {name: value.strip() for name, value in row.items() if value.strip()}
        try:
            model = PriorAuthModel.model_validate(data)
        except ValidationError as exc:
            for error in exc.errors():
                where = ".".join(str(part) for part in error["loc"]) or "row"
                issues.append(
                    SourceIssue(SourceRef(str(path), line, 1), f"{where}: {error['msg']}")
                )
            continue
        if model.number in lines:
            issues.append(
                SourceIssue(
                    SourceRef(str(path), line, 1),
                    f"PA number {model.number} is also on line {lines[model.number]}",
                )
            )
            continue
        lines[model.number] = line
        found.append(prior_auth_from_model(model))
    issues = [*reader.issues, *issues]
    if issues:
        raise SourceFileError(issues)
    return tuple(found)
