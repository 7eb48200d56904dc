"""The ledger's tables (sqlmodel): claims, accumulator transactions, members, audit.

The ledger is the source of truth: Redis can be rebuilt from ``accumulator_txns``
alone, replayed in ``seq`` order. Money is integer cents (BIGINT); times are aware
UTC; JSON columns hold the exact dictionaries of
``engine.adjudication.serialize``. The schema is created and upgraded only by the
migrations in ``engine/store/sql/migrations``; a test checks that they match
these models.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, ForeignKey, Index, Integer, LargeBinary
from sqlalchemy import UniqueConstraint as Unique
from sqlmodel import Field, SQLModel

__all__ = [
    "AccumulatorTxnRow",
    "AuditRow",
    "ClaimEntryRow",
    "CoverageRow",
    "FamilyRow",
    "MedicalTxnRow",
    "PersonRow",
    "utcnow",
]

_ID = BigInteger().with_variant(Integer(), "sqlite")
"""A 64-bit key that SQLite still treats as its auto-incrementing rowid."""


def utcnow() -> dt.datetime:
    """Now, in UTC (the ledger stores aware UTC times)."""
    return dt.datetime.now(dt.UTC)


def _cents() -> Any:
    return Field(default=None, sa_type=BigInteger)


class ClaimEntryRow(SQLModel, table=True):
    """One ledger entry: an adjudicated transaction, immutable once written."""

    __tablename__ = "claim_entries"
    __table_args__ = (Index("ix_claim_entries_key_kind_id", "claim_key", "kind", "id"),)

    id: int | None = Field(default=None, sa_column=Column(_ID, primary_key=True))
    claim_key: str | None = Field(default=None, max_length=160)
    sequence: int
    kind: str = Field(max_length=16)
    transaction_code: str = Field(max_length=2)
    status: str = Field(max_length=1)
    cardholder_id: str | None = Field(default=None, max_length=20, index=True)
    plan_year: dt.date | None = None
    txn_id: str | None = Field(default=None, max_length=200)
    decision: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    patient_pay: int | None = _cents()
    plan_pay: int | None = _cents()
    allowed: int | None = _cents()
    deductible: int | None = _cents()
    copay: int | None = _cents()
    coinsurance: int | None = _cents()
    out_of_pocket: int | None = _cents()
    plan_version: str | None = Field(default=None, max_length=120)
    formulary_version: str | None = Field(default=None, max_length=120)
    network_version: str | None = Field(default=None, max_length=120)
    prices_version: str | None = Field(default=None, max_length=120)
    edits_version: str | None = Field(default=None, max_length=120)
    payer_seq: int | None = None
    """This plan's place for the claim: 1 primary, 2 secondary, 3 tertiary."""
    other_payer_paid: int | None = _cents()
    other_troop: int | None = _cents()
    """Other payers' payments that count toward Part D TrOOP."""
    plro: int | None = _cents()
    """Other payers' payments that reduce the patient's liability without counting."""
    request: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    raw_request: bytes | None = Field(default=None, sa_column=Column(LargeBinary))
    raw_response: bytes | None = Field(default=None, sa_column=Column(LargeBinary))
    recorded_at: dt.datetime = Field(index=True)


class AccumulatorTxnRow(SQLModel, table=True):
    """One accumulation row; a reversal is its own negative row pointing at its original.

    ``deltas`` are the transaction's own deltas exactly as the store applied them
    (empty for a pure reversal, the new amounts for a rebill); ``net`` is what the
    row changed in total (own deltas minus the reversed original's), and the two
    cents columns sum ``net`` per bucket for reports.
    """

    __tablename__ = "accumulator_txns"

    seq: int | None = Field(default=None, sa_column=Column(_ID, primary_key=True))
    txn_id: str = Field(max_length=200, unique=True)
    cardholder_id: str = Field(max_length=20, index=True)
    plan_year: dt.date
    deltas: dict[str, int] = Field(sa_column=Column(JSON, nullable=False))
    net: dict[str, int] = Field(sa_column=Column(JSON, nullable=False))
    net_deductible: int = Field(sa_type=BigInteger)
    net_out_of_pocket: int = Field(sa_type=BigInteger)
    reverses: str | None = Field(default=None, max_length=200)
    reverses_seq: int | None = Field(
        default=None, sa_column=Column(_ID, ForeignKey("accumulator_txns.seq"))
    )
    fill: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    source: str = Field(max_length=16)
    claim_entry_id: int | None = Field(
        default=None, sa_column=Column(_ID, ForeignKey("claim_entries.id"))
    )
    recorded_at: dt.datetime = Field(index=True)


class MedicalTxnRow(SQLModel, table=True):
    """A medical carrier's accumulator transaction as received (accepted ones only)."""

    __tablename__ = "medical_txns"

    id: str = Field(primary_key=True, max_length=100)
    txn_id: str = Field(max_length=200, unique=True)
    cardholder_id: str = Field(max_length=20, index=True)
    person_code: str = Field(max_length=3)
    date_of_service: dt.date
    plan_year: dt.date
    deductible: int = Field(sa_type=BigInteger)
    out_of_pocket: int = Field(sa_type=BigInteger)
    reverses: str | None = Field(default=None, max_length=100)
    source_file: str | None = Field(default=None, max_length=300)
    recorded_at: dt.datetime


class FamilyRow(SQLModel, table=True):
    """A cardholder id on file."""

    __tablename__ = "families"

    cardholder_id: str = Field(primary_key=True, max_length=20)
    updated_at: dt.datetime
    cob: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    """Other coverage and the facts that order it (``engine.cob.coverage`` JSON form)."""


class PersonRow(SQLModel, table=True):
    """A person of a family. Names and birth dates never leave the database in logs."""

    __tablename__ = "persons"

    cardholder_id: str = Field(
        primary_key=True, max_length=20, foreign_key="families.cardholder_id"
    )
    person_code: str = Field(primary_key=True, max_length=3)
    relationship: str = Field(max_length=1)
    first_name: str = Field(max_length=100)
    last_name: str = Field(max_length=100)
    date_of_birth: dt.date
    gender: str = Field(max_length=1)


class CoverageRow(SQLModel, table=True):
    """A coverage record: which persons a plan and group cover, from when to when."""

    __tablename__ = "coverages"
    __table_args__ = (Unique("cardholder_id", "plan", "group_id", "start"),)

    id: int | None = Field(default=None, sa_column=Column(_ID, primary_key=True))
    cardholder_id: str = Field(max_length=20, foreign_key="families.cardholder_id", index=True)
    plan: str = Field(max_length=60)
    group_id: str = Field(max_length=30)
    start: dt.date
    end: dt.date | None = None
    persons: str = Field(max_length=200)
    """Person codes covered, comma separated."""
    updated_at: dt.datetime


class AuditRow(SQLModel, table=True):
    """Who changed what and when: loads, recoveries, rebuilds, manual changes."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, sa_column=Column(_ID, primary_key=True))
    at: dt.datetime = Field(index=True)
    actor: str = Field(max_length=100)
    action: str = Field(max_length=60)
    subject: str | None = Field(default=None, max_length=200)
    detail: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
