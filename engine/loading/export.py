"""Accumulator changes for a partner: what changed since a point in time, as CSV.

One line per amount a ledgered accumulator transaction changed (its net change:
a reversal's lines are negative), so a medical carrier can load the pharmacy
accumulators back. Columns:

================ ===============================================================
column           meaning
================ ===============================================================
seq              the ledger's row number; strictly increasing, for de-duplication
recorded_at      when the ledger recorded it (UTC, ISO 8601)
txn_id           rxadj's transaction id (a claim key and sequence, or ``med:<id>``)
reverses         the transaction this one reverses, if any
source           claim, medical or recovery
cardholder_id    the family
plan_year        the first day of the plan year the amount counts in
person_code      the person
bucket           deductible or out_of_pocket
origin           pharmacy or medical
amount           signed dollars, like ``-12.50``
================ ===============================================================

By default only pharmacy amounts are exported: a carrier must not load its own
medical amounts back. A sent file is never overwritten (the command refuses an
existing path); corrections go out as the reversal lines of a later file.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from typing import Protocol, TextIO

from engine.accumulators import (
    DEDUCTIBLE,
    MEDICAL,
    PHARMACY,
    AccumulatorTxn,
    FamilyKey,
    parse_amount_field,
)
from engine.money import cents_to_dollars

__all__ = ["EXPORT_COLUMNS", "ExportRow", "write_changes"]

EXPORT_COLUMNS = (
    "seq",
    "recorded_at",
    "txn_id",
    "reverses",
    "source",
    "cardholder_id",
    "plan_year",
    "person_code",
    "bucket",
    "origin",
    "amount",
)
_ORIGINS = {PHARMACY: "pharmacy", MEDICAL: "medical"}


class ExportRow(Protocol):
    """An accumulation row as the ledger returns it."""

    seq: int
    net: dict[str, int]
    source: str
    recorded_at: dt.datetime

    @property
    def key(self) -> FamilyKey:
        """The family and plan year."""
        ...

    @property
    def txn(self) -> AccumulatorTxn:
        """The transaction."""
        ...


def write_changes(
    rows: Iterable[ExportRow], out: TextIO, *, origins: frozenset[str] = frozenset({PHARMACY})
) -> tuple[int, dt.datetime | None]:
    """Write the CSV; return the number of lines and the last ``recorded_at`` written."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    lines = 0
    last: dt.datetime | None = None
    for row in rows:
        key, txn = row.key, row.txn
        for name, cents in sorted(row.net.items()):
            bucket, person, origin = parse_amount_field(name)
            if origin not in origins or cents == 0:
                continue
            writer.writerow(
                (
                    row.seq,
                    row.recorded_at.isoformat(),
                    txn.id,
                    txn.reverses or "",
                    row.source,
                    key.cardholder_id,
                    key.plan_year.isoformat(),
                    person,
                    "deductible" if bucket == DEDUCTIBLE else "out_of_pocket",
                    _ORIGINS.get(origin, origin),
                    str(cents_to_dollars(cents)),
                )
            )
            lines += 1
        last = row.recorded_at
    return lines, last
