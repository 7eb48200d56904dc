"""What a member already paid under a cap on all prescriptions of a period.

Colorado caps what a member pays for all of their insulin in a 30-day supply,
however many prescriptions make it up; capping each fill would let a member with
two prescriptions pay twice the cap. rxadj reads such a cap as a rolling window:
the member's own paid fills of the capped classes (not the family's), dated less
than the cap's period before this claim's date of service, this claim excepted.
Each fill counts the share it recorded (``Fill.member_share``); a reversed fill has
left the history, so a reversal gives its share back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from engine.accumulators import Fill
from engine.compliance.effective import EffectiveCap
from engine.plans.formulary import Formulary

__all__ = ["CapSpending"]


@dataclass(slots=True)
class CapSpending:
    """One claim's view of its member's earlier fills, asked once per capped class."""

    fills: Sequence[Fill]
    person_code: str
    date_of_service: dt.date
    txn_id: str
    formulary: Formulary | None
    found: dict[str, int] = field(default_factory=dict)
    """Cents found under each cap (by label) that had any: the trace names them."""

    def spent(self, cap: EffectiveCap) -> int:
        """Cents the member paid for the cap's classes in the period before this claim."""
        total = 0
        for fill in self.fills:
            if (
                not fill.member_share
                or fill.person_code != self.person_code
                or fill.txn_id == self.txn_id
                or not 0 <= (self.date_of_service - fill.date_of_service).days < cap.per_days
            ):
                continue
            drug = self.formulary.get(fill.ndc) if self.formulary is not None else None
            if drug is not None and cap.covers(drug.classes):
                total += fill.member_share
        if total:
            self.found[cap.label] = total
        return total
