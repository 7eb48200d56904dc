"""A payment file read whole: X12 835 or CSV, checked before anything is written.

The order is the issue's: first each payment's total against its detail (BPR02
must equal the claim payments less the provider-level adjustments, and a CSV
file's sum must equal the control total when one is given), then the detail. A
file with any structural problem raises :class:`RemittanceFileError` listing
every problem with its line and segment — so a load either takes the whole file
or nothing of it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path

from engine.money import format_cents
from engine.reconcile.errors import FileIssue, RemittanceFileError
from engine.reconcile.remit.build import build_remittances
from engine.reconcile.remit.csvpay import RowIssue, read_payment_csv
from engine.reconcile.remit.records import Remittance
from engine.reconcile.remit.x12 import read_segments

__all__ = ["PaymentFile", "parse_payment_file", "read_payment_file"]


@dataclass(slots=True)
class PaymentFile:
    """What a payment file holds, with its digest (a file is loaded once)."""

    source: str
    digest: str
    format: str
    remittances: list[Remittance]
    skipped: list[RowIssue] = field(default_factory=list)

    @property
    def claims(self) -> int:
        """Claim payments in the file."""
        return sum(len(r.claims) for r in self.remittances)


def _unbalanced(remit: Remittance) -> FileIssue:
    return FileIssue(
        remit.line,
        f"the payment {format_cents(remit.total)} does not equal the claim payments "
        f"{format_cents(remit.detail_total)} less provider adjustments "
        f"{format_cents(remit.provider_total)}",
        "BPR",
        element="BPR02",
    )


def _control(remittances: list[Remittance], control_total: int | None) -> list[FileIssue]:
    total = sum(r.total for r in remittances)
    if control_total is None or total == control_total:
        return []
    message = (
        f"the file pays {format_cents(total)}, not the control total {format_cents(control_total)}"
    )
    return [FileIssue(1, message)]


def parse_payment_file(text: str, source: str, control_total: int | None = None) -> PaymentFile:
    """Read a file's text (835 when it starts with ISA, else CSV); raise on any file problem."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if text.lstrip().startswith("ISA"):
        segments, issues = read_segments(text.lstrip())
        remittances, problems = build_remittances(segments, source) if not issues else ([], [])
        issues = issues + problems + [_unbalanced(r) for r in remittances if not r.balanced]
        if not issues:
            issues = _control(remittances, control_total)
        if issues:
            raise RemittanceFileError(source, issues)
        return PaymentFile(source, digest, "835", remittances)
    try:
        remittances, skipped = read_payment_csv(StringIO(text, newline=""), source)
    except ValueError as exc:
        raise RemittanceFileError(source, [FileIssue(1, str(exc))]) from exc
    issues = _control(remittances, control_total)
    if issues:
        raise RemittanceFileError(source, issues)
    return PaymentFile(source, digest, "csv", remittances, skipped)


def read_payment_file(path: Path, control_total: int | None = None) -> PaymentFile:
    """Read and check a payment file from disk."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RemittanceFileError(str(path), [FileIssue(1, f"cannot read: {exc}")]) from exc
    return parse_payment_file(text, path.name, control_total)
