"""Claim files in CSV, as processors deliver them for accounts receivable.

Columns (a header row names them; amounts in dollars, dates ``YYYY-MM-DD``):

=============== ======== ==========================================================
column          required meaning
=============== ======== ==========================================================
store           yes      pharmacy (store) id
rx_number       yes      prescription number
fill_number     yes      refill number (0 for the first fill)
date_of_service yes      date filled
payer           yes      who owes the amount due
billing_method  yes      plan designation the claim was billed under
amount_due      no*      what the payer owes; *else ingredient_cost + dispensing_fee
                         - patient_pay
ingredient_cost no       ingredient cost paid
dispensing_fee  no       professional (dispensing) fee
patient_pay     no       copay collected from the patient
payer_seq       no       1, 2 or 3: the payer's place under coordination of benefits
                         (blank: the fill's first place no other payer holds)
ndc             no       11-digit NDC
prescriber_id   no       prescriber's id (shown on the unauthorized report)
unauthorized    no       Y: the claim is not billable (unfilled or returned)
resubmitted     no       Y: a resubmission of an earlier claim
=============== ======== ==========================================================
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from typing import TextIO

from engine.money import MoneyError, parse_dollars
from engine.reconcile.claims.records import ClaimItem, ClaimProblem

__all__ = ["CLAIM_COLUMNS", "read_claim_csv"]

CLAIM_COLUMNS = ("store", "rx_number", "fill_number", "date_of_service", "payer", "billing_method")
_YES = frozenset({"y", "yes", "true", "1"})


def _text(row: dict[str, str], name: str) -> str:
    return (row.get(name) or "").strip()


def _cents(row: dict[str, str], name: str) -> int | None:
    text = _text(row, name)
    if not text:
        return None
    try:
        return parse_dollars(text)
    except MoneyError as exc:
        raise ValueError(f"{name}: {exc}") from exc


def _int(row: dict[str, str], name: str, *, required: bool = True) -> int | None:
    text = _text(row, name)
    if not text:
        if required:
            raise ValueError(f"{name} is missing")
        return None
    if not text.isdigit():
        raise ValueError(f"{name} {text!r} is not a number")
    return int(text)


def _item(row: dict[str, str], line: int) -> ClaimItem:
    for name in ("store", "payer", "billing_method"):
        if not _text(row, name):
            raise ValueError(f"{name} is missing")
    try:
        day = dt.date.fromisoformat(_text(row, "date_of_service"))
    except ValueError:
        raise ValueError("date_of_service is not a date (YYYY-MM-DD)") from None
    ingredient = _cents(row, "ingredient_cost") or 0
    fee = _cents(row, "dispensing_fee") or 0
    copay = _cents(row, "patient_pay") or 0
    due = _cents(row, "amount_due")
    if due is None:
        if not (_text(row, "ingredient_cost") or _text(row, "dispensing_fee")):
            raise ValueError("amount_due is missing (or give ingredient_cost and dispensing_fee)")
        due = max(0, ingredient + fee - copay)
    seq = _int(row, "payer_seq", required=False)
    if seq is not None and seq not in (1, 2, 3):
        raise ValueError(f"payer_seq {seq} is not 1, 2 or 3")
    return ClaimItem(
        row=line,
        store=_text(row, "store"),
        rx_number=_int(row, "rx_number") or 0,
        fill_number=_int(row, "fill_number") or 0,
        date_of_service=day,
        payer=_text(row, "payer"),
        billing_method=_text(row, "billing_method"),
        amount_due=due,
        ingredient_cost=ingredient,
        dispensing_fee=fee,
        patient_pay=copay,
        payer_seq=seq,
        ndc=_text(row, "ndc") or None,
        prescriber_id=_text(row, "prescriber_id") or None,
        unauthorized=_text(row, "unauthorized").lower() in _YES,
        resubmitted=_text(row, "resubmitted").lower() in _YES,
    )


def read_claim_csv(handle: TextIO) -> Iterator[ClaimItem | ClaimProblem]:
    """Each row as a claim, or as a problem (the load reports it and goes on)."""
    reader = csv.DictReader(handle)
    missing = [c for c in CLAIM_COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise ValueError(f"the header lacks {', '.join(missing)}")
    for line, raw in enumerate(reader, start=2):
        row = {key.strip(): value for key, value in raw.items() if key is not None}
        try:
            yield _item(row, line)
        except ValueError as exc:
            rx = _text(row, "rx_number")
            yield ClaimProblem(
                line, str(exc), _text(row, "store") or None, int(rx) if rx.isdigit() else None
            )
