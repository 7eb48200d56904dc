"""Medical accumulator files: each row a medical claim's deductible and out-of-pocket.

CSV columns (header required, any order, extra columns ignored):

=============== ======== ===============================================================
column          required meaning
=============== ======== ===============================================================
id              yes      the carrier's transaction id; the idempotency key
cardholder_id   yes      the family (NCPDP 302-C2)
person_code     yes      the person in the family (303-C3), three digits
date_of_service yes      YYYY-MM-DD; chooses the plan year the amounts go to
deductible      yes      dollars toward the deductible, like ``125.00``; negative adjusts
out_of_pocket   yes      dollars toward the out-of-pocket maximum (including deductible)
reverses        no       the id of an earlier row this one reverses exactly
=============== ======== ===============================================================

Every row is its own transaction: applied at most once (a repeated id is a
duplicate and changes nothing), to the plan year of its date of service. A bad
row is rejected with its reason and the load goes on. Accepted rows are written
to the ledger in groups after they are applied (one commit per group); a crash
in between leaves journaled transactions that recovery adopts, and loading the
file again answers them as duplicates and writes what the ledger lacks.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, TextIO

from engine.accumulators import AccumulatorTxn, ApplyStatus, FamilyKey
from engine.catalog.catalog import Catalog
from engine.loading.summary import LoadSummary, Progress
from engine.medical import MedicalOutcome, MedicalResult, MedicalTxn, medical_accumulator_txn
from engine.money import MoneyError, parse_dollars
from engine.plans.members import MemberDirectory
from engine.store.base import AccumulatorStore

__all__ = [
    "COLUMNS",
    "MedicalLedger",
    "MedicalRecord",
    "load_medical",
    "medical_rows",
    "record_medical",
]

COLUMNS = ("id", "cardholder_id", "person_code", "date_of_service", "deductible", "out_of_pocket")
_GROUP = 500


@dataclass(frozen=True, slots=True)
class MedicalRecord:
    """An applied medical transaction, ready for the ledger."""

    medical: MedicalTxn
    key: FamilyKey
    txn: AccumulatorTxn
    source_file: str | None = None


class MedicalLedger(Protocol):
    """Where applied medical transactions are recorded (the SQL ledger)."""

    def record_medical(self, records: Sequence[MedicalRecord]) -> None:
        """Write the records durably, once per id."""
        ...


def _parse(row: Mapping[str, str | None]) -> MedicalTxn:
    """One CSV row as a medical transaction; ValueError with a readable reason if bad."""
    values = {name: (row.get(name) or "").strip() for name in (*COLUMNS, "reverses")}
    missing = [name for name in COLUMNS if not values[name]]
    if missing:
        raise ValueError(f"missing {', '.join(missing)}")
    try:
        day = dt.date.fromisoformat(values["date_of_service"])
    except ValueError:
        raise ValueError(
            f"date_of_service {values['date_of_service']!r} is not YYYY-MM-DD"
        ) from None
    try:
        deductible = parse_dollars(values["deductible"])
        out_of_pocket = parse_dollars(values["out_of_pocket"])
    except MoneyError as exc:
        raise ValueError(str(exc)) from None
    if deductible == 0 and out_of_pocket == 0 and not values["reverses"]:
        raise ValueError("both amounts are zero")
    return MedicalTxn(
        id=values["id"],
        cardholder_id=values["cardholder_id"],
        person_code=values["person_code"],
        date_of_service=day,
        deductible=deductible,
        out_of_pocket=out_of_pocket,
        reverses=values["reverses"] or None,
    )


def medical_rows(handle: TextIO) -> Iterator[tuple[int, Mapping[str, str | None]]]:
    """(row number, row) of a medical CSV; ValueError at once if the header lacks a column."""
    reader = csv.DictReader(handle)
    header = reader.fieldnames or []
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise ValueError(f"the header lacks column(s): {', '.join(missing)}")
    return enumerate(reader, start=2)


def record_medical(
    medical: MedicalTxn,
    catalog: Catalog,
    members: MemberDirectory,
    store: AccumulatorStore,
    ledger: MedicalLedger,
) -> MedicalResult:
    """Apply one medical transaction and record it in the ledger (the real-time path)."""
    summary = LoadSummary()
    outcome = _apply_one(medical, catalog, members, store, None, summary, 0)
    if isinstance(outcome, MedicalResult):
        return outcome
    ledger.record_medical([outcome])
    status = MedicalOutcome.ACCEPTED if summary.accepted else MedicalOutcome.DUPLICATE
    return MedicalResult(status, outcome.key)


def _apply_one(
    medical: MedicalTxn,
    catalog: Catalog,
    members: MemberDirectory,
    store: AccumulatorStore,
    source: str | None,
    summary: LoadSummary,
    number: int,
) -> MedicalRecord | MedicalResult:
    planned = medical_accumulator_txn(medical, catalog, members)
    if isinstance(planned, MedicalResult):
        summary.reject(number, planned.reason or "rejected", medical.id)
        return planned
    key, txn = planned
    result = store.apply(key, txn, None)
    if result.status is ApplyStatus.APPLIED:
        summary.accepted += 1
    elif result.status is ApplyStatus.DUPLICATE:
        summary.duplicate += 1
    else:
        reason = (
            f"reverses {medical.reverses}, which is not on file"
            if result.status is ApplyStatus.UNKNOWN_ORIGINAL
            else f"{medical.reverses} was already reversed"
        )
        summary.reject(number, reason, medical.id)
        return MedicalResult(MedicalOutcome.REJECTED, key, reason)
    return MedicalRecord(medical, key, txn, source)


def load_medical(
    rows: Iterable[tuple[int, Mapping[str, str | None]]],
    catalog: Catalog,
    members: MemberDirectory,
    store: AccumulatorStore,
    ledger: MedicalLedger,
    *,
    source_file: str | None = None,
    progress: Progress | None = None,
) -> LoadSummary:
    """Apply and record every row; a bad row is rejected with its reason, never fatal."""
    summary = LoadSummary()
    pending: list[MedicalRecord] = []
    try:
        for number, row in rows:
            try:
                medical = _parse(row)
            except ValueError as exc:
                summary.reject(number, str(exc), (row.get("id") or "").strip() or None)
            else:
                outcome = _apply_one(medical, catalog, members, store, source_file, summary, number)
                if isinstance(outcome, MedicalRecord):
                    pending.append(outcome)
            if len(pending) >= _GROUP:
                ledger.record_medical(pending)
                pending.clear()
            if progress is not None:
                progress(1)
    finally:
        if pending:
            ledger.record_medical(pending)
    return summary
