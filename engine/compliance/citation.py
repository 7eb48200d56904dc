"""Citations: where every mandate figure comes from, and how sure we are of it.

The project's reference labels each figure VERIFIED-PRIMARY, VERIFIED-SECONDARY,
SINGLE-SOURCE or UNVERIFIED. A rule file copies the label with its sources, and the
label decides what the figure may do: only a VERIFIED figure can fail a plan or be
enforced on a claim; anything weaker is shown to a compliance officer as advisory.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from engine.plans.fields import FileModel

__all__ = ["Citation", "Confidence", "Source"]


class Confidence(StrEnum):
    """The reference's confidence labels; only the VERIFIED ones may fail a plan."""

    VERIFIED_PRIMARY = "VERIFIED-PRIMARY"
    VERIFIED_SECONDARY = "VERIFIED-SECONDARY"
    SINGLE_SOURCE = "SINGLE-SOURCE"
    UNVERIFIED = "UNVERIFIED"

    @property
    def verified(self) -> bool:
        """Whether a figure with this label may be used as a pass/fail limit."""
        return self in (Confidence.VERIFIED_PRIMARY, Confidence.VERIFIED_SECONDARY)


class Source(FileModel):
    """One source a figure was read from: its title and, where there is one, its address."""

    title: str = Field(min_length=1)
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")


class Citation(FileModel):
    """Where a rule's figures come from and how sure we are of them.

    ``status`` labels the figures. ``applicability_status`` labels when and to whom
    the rule applies (its start date, the plans it reaches) where that is weaker than
    the figures: Delaware's insulin cap is quoted from the statute, but the year it
    took effect is not known. A rule is binding only if both labels are VERIFIED.
    """

    law: str = Field(min_length=1)
    status: Confidence
    applicability_status: Confidence | None = None
    reference: str = Field(min_length=1)
    """The section of the project's reference (mandates.md) the rule was taken from."""
    sources: tuple[Source, ...] = Field(min_length=1)
    note: str | None = None

    @property
    def binding(self) -> bool:
        """Whether the rule may fail a plan and is enforced on claims."""
        applicability = self.applicability_status or self.status
        return self.status.verified and applicability.verified
