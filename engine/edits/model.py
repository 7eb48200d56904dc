"""The edit-set file: required fields and named rules, as analysts write them.

Rules run in three phases, each seeing more of the world:

``request``      the claim alone (missing or invalid values the claim itself shows);
``eligibility``  the claim, the member and the plan (coverage dates, birth date, ages);
``benefit``      everything: drug, pharmacy, channel and fill history.

A phase that rejects stops the claim there, because the next phase's facts would
be meaningless (there is no benefit to check for a member who is not covered).
Within a phase every rule is evaluated and all rejects are reported, ordered by
priority.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from engine.ncpdp.rejects import RejectCode
from engine.plans.fields import Effective, FileModel, VersionId

__all__ = ["EditOverride", "EditRule", "EditSetFile", "Phase", "RequiredFields"]

Phase = Literal["request", "eligibility", "benefit"]
PHASES: tuple[Phase, ...] = ("request", "eligibility", "benefit")

_RULE_ID = re.compile(r"^[a-z][a-z0-9-]*$")


def _reject_code(value: str) -> str:
    try:
        RejectCode(value)
    except ValueError as exc:
        raise ValueError(f"{value!r} is not an NCPDP reject code rxadj knows") from exc
    return value


class EditRule(FileModel):
    """One named rule: when the condition holds, the claim is rejected with the code."""

    id: str
    phase: Phase
    when: str
    reject: str
    message: str = Field(min_length=1, max_length=200)
    priority: int = Field(ge=0)

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not _RULE_ID.match(value):
            raise ValueError(f"rule ids are lower-case words joined by hyphens: got {value!r}")
        return value

    @field_validator("reject")
    @classmethod
    def _code(cls, value: str) -> str:
        return _reject_code(value)


class EditOverride(FileModel):
    """A plan's change to one rule of the set it includes."""

    when: str | None = None
    reject: str | None = None
    message: str | None = None
    priority: int | None = Field(default=None, ge=0)

    @field_validator("reject")
    @classmethod
    def _code(cls, value: str | None) -> str | None:
        return value if value is None else _reject_code(value)


class RequiredFields(FileModel):
    """Fields each kind of transaction must carry, with the reject code when missing."""

    billing: dict[str, str]
    reversal: dict[str, str] = Field(default_factory=dict)
    eligibility: dict[str, str] = Field(default_factory=dict)

    @field_validator("billing", "reversal", "eligibility")
    @classmethod
    def _codes(cls, value: dict[str, str]) -> dict[str, str]:
        for code in value.values():
            _reject_code(code)
        return value


class EditSetFile(FileModel):
    """One version of an edit set."""

    kind: Literal["edits"]
    edit_set: str
    version: VersionId
    effective: Effective
    required_fields: RequiredFields
    rules: tuple[EditRule, ...]

    @model_validator(mode="after")
    def _unique(self) -> EditSetFile:
        seen: set[str] = set()
        for rule in self.rules:
            if rule.id in seen:
                raise ValueError(f"rule id {rule.id!r} appears twice")
            seen.add(rule.id)
        return self
