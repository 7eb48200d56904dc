"""The collector of issues and notices that one ``decode`` call fills."""

from __future__ import annotations

from engine.ncpdp.model import CodecIssue, CodecNotice
from engine.ncpdp.rejects import RejectCode

__all__ = ["Report"]


class Report:
    """Issues and notices in the order they were found."""

    __slots__ = ("issues", "notices")

    def __init__(self) -> None:
        self.issues: list[CodecIssue] = []
        self.notices: list[CodecNotice] = []

    def issue(
        self,
        reject: RejectCode,
        message: str,
        offset: int | None,
        *,
        segment: str | None = None,
        field: str | None = None,
        transaction: int | None = None,
        occurrence: int | None = None,
    ) -> None:
        """Record a problem that the answer must reject."""
        self.issues.append(
            CodecIssue(reject, message, offset, segment, field, transaction, occurrence)
        )

    def notice(
        self,
        message: str,
        offset: int | None,
        *,
        segment: str | None = None,
        field: str | None = None,
        transaction: int | None = None,
    ) -> None:
        """Record something unusual that was kept and needs no reject."""
        self.notices.append(CodecNotice(message, offset, segment, field, transaction))
