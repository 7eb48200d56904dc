"""Payment files in CSV, for payers that send no 835 (or for manual entry).

Columns (a header row names them, in any order; amounts in dollars, dates
``YYYY-MM-DD``):

======================== ======== ==================================================
column                   required meaning
======================== ======== ==================================================
payer                    yes      the payer's id (as on the claims)
payment_date             yes      date of the check or EFT
store                    yes      pharmacy (store) id
rx_number                yes      prescription number
date_of_service          yes      date the prescription was filled
amount_paid              yes      paid for this claim; negative for a reversal
fill_number              no       refill number (matched when present)
check_number             no       check or EFT trace number
status_code              no       CLP02 code: 1 paid (default), 4 denied, 22 reversal
amount_charged           no       what the pharmacy billed
patient_responsibility   no       what the payer says the patient owes
adjustments              no       ``CO-45:10.00 PR-3:5.00`` (group-reason:amount)
payer_control            no       the payer's claim control number
original_reference       no       for a reversal, the control number it reverses
ndc                      no       11-digit NDC
======================== ======== ==================================================

Rows are grouped into one payment per payer, check number and payment date. A
row whose keys cannot be read is kept and reported (never posted); a row whose
amount, payer or payment date cannot be read is reported and skipped.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from typing import TextIO

from engine.money import MoneyError, parse_dollars
from engine.reconcile.remit.keys import IdentifierError, parse_ndc
from engine.reconcile.remit.records import ClaimAdjustment, ClaimPayment, Remittance

__all__ = ["REQUIRED_COLUMNS", "RowIssue", "read_payment_csv"]

REQUIRED_COLUMNS = (
    "payer",
    "payment_date",
    "store",
    "rx_number",
    "date_of_service",
    "amount_paid",
)

RowIssue = tuple[int, str]
"""A skipped row: its line in the file and why."""


def _money(row: dict[str, str], name: str, default: int | None = None) -> int:
    text = (row.get(name) or "").strip()
    if not text:
        if default is None:
            raise ValueError(f"{name} is missing")
        return default
    try:
        return parse_dollars(text)
    except MoneyError as exc:
        raise ValueError(f"{name}: {exc}") from exc


def _day(row: dict[str, str], name: str) -> dt.date:
    text = (row.get(name) or "").strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{name} {text!r} is not a date (YYYY-MM-DD)") from None


def _adjustments(text: str) -> list[ClaimAdjustment]:
    found = []
    for part in text.split():
        code, _, amount = part.partition(":")
        group, _, reason = code.partition("-")
        if not (group and reason and amount):
            raise ValueError(f"adjustment {part!r} is not GROUP-REASON:AMOUNT")
        try:
            found.append(ClaimAdjustment(group.upper(), reason.upper(), parse_dollars(amount)))
        except MoneyError as exc:
            raise ValueError(f"adjustment {part!r}: {exc}") from exc
    return found


def _keys(row: dict[str, str], claim: ClaimPayment) -> None:
    """Fill the matching keys; a problem marks the row unpostable but keeps its money."""
    try:
        claim.store = (row.get("store") or "").strip() or None
        if claim.store is None:
            raise ValueError("store is missing")
        claim.rx_number = int((row.get("rx_number") or "").strip())
        fill = (row.get("fill_number") or "").strip()
        claim.fill_number = int(fill) if fill else None
        claim.date_of_service = _day(row, "date_of_service")
        claim.ndc = parse_ndc((row.get("ndc") or "").strip() or None)
    except (ValueError, IdentifierError) as exc:
        claim.problem = (
            str(exc) if "invalid literal" not in str(exc) else "a number is not a number"
        )


def _claim(row: dict[str, str], line: int) -> ClaimPayment:
    claim = ClaimPayment(
        line=line,
        status_code=(row.get("status_code") or "1").strip(),
        paid=_money(row, "amount_paid"),
        charge=_money(row, "amount_charged", 0),
        patient_resp=_money(row, "patient_responsibility", 0),
        payer_control=(row.get("payer_control") or "").strip() or None,
        original_ref=(row.get("original_reference") or "").strip() or None,
        adjustments=_adjustments(row.get("adjustments") or ""),
    )
    _keys(row, claim)
    return claim


def read_payment_csv(handle: TextIO, source: str) -> tuple[list[Remittance], list[RowIssue]]:
    """Remittances (one per payer, check and date) and the rows that had to be skipped."""
    reader = csv.DictReader(handle)
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise ValueError(f"the header lacks {', '.join(missing)}")
    groups: dict[tuple[str, str, dt.date], Remittance] = {}
    skipped: list[RowIssue] = []
    for line, row in enumerate(_rows(reader), start=2):
        try:
            payer = (row.get("payer") or "").strip()
            if not payer:
                raise ValueError("payer is missing")
            day = _day(row, "payment_date")
            claim = _claim(row, line)
        except ValueError as exc:
            skipped.append((line, str(exc)))
            continue
        check = (row.get("check_number") or "").strip()
        remit = groups.setdefault(
            (payer, check, day),
            Remittance(source, payer, day, 0, "CSV", check or None, line=line),
        )
        claim.payer = payer
        remit.claims.append(claim)
        remit.total += claim.paid
    return list(groups.values()), skipped


def _rows(reader: Iterable[dict[str, str]]) -> Iterable[dict[str, str]]:
    for row in reader:
        yield {key.strip(): value for key, value in row.items() if key is not None}
