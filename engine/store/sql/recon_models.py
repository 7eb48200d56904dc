"""Reconciliation tables (sqlmodel): receivables, payments, adjustments, loads, archives.

Receivables (``recon_items``) are one open item per claim and payer: a claim with
coordination of benefits has up to three, each collected on its own. Payments are
staged as loaded (``recon_payments``, one row per remitted claim) and keep the
decision a reconciliation run made about them, with the tolerance rule version it
used. Nothing about the patient is stored: remittances name the patient, but the
loaders drop it, so no report or lookup can show it.

Money is integer cents (BIGINT). The schema is created by the migration
``0002_reconciliation``; a test checks that it matches these models.

Indexes are few on purpose: a run updates a million receivables and payments,
and on PostgreSQL an update that touches no indexed column and finds room on its
page (the fill factors leave it) is a heap-only update, with no index work at
all. Receivables keep the one index matching needs; reports and lookups scan.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, Integer, LargeBinary
from sqlmodel import Field, SQLModel

__all__ = [
    "ReconAdjustmentRow",
    "ReconArchiveChunkRow",
    "ReconArchiveRow",
    "ReconBatchRow",
    "ReconClaimExceptionRow",
    "ReconItemRow",
    "ReconPaymentRow",
]

_ID = BigInteger().with_variant(Integer(), "sqlite")


def _cents(default: int | None = None) -> Any:
    return Field(default=default, sa_type=BigInteger)


class ReconBatchRow(SQLModel, table=True):
    """One load, reconciliation run, archive or restore: who, when, what, control totals."""

    __tablename__ = "recon_batches"

    id: int | None = Field(default=None, sa_column=Column(_ID, primary_key=True))
    kind: str = Field(max_length=16)
    source: str | None = Field(default=None, max_length=300)
    digest: str | None = Field(default=None, max_length=64, index=True)
    payer: str | None = Field(default=None, max_length=30)
    check_number: str | None = Field(default=None, max_length=50)
    payment_date: dt.date | None = None
    payment_method: str | None = Field(default=None, max_length=3)
    control_total: int | None = _cents()
    detail_total: int | None = _cents()
    provider_total: int | None = _cents()
    rows: int = 0
    accepted: int = 0
    rejected: int = 0
    actor: str = Field(max_length=100)
    at: dt.datetime
    summary: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))


class ReconItemRow(SQLModel, table=True):
    """An open (or closed) receivable: what one payer owes for one claim."""

    __tablename__ = "recon_items"
    __table_args__ = (
        Index("ix_recon_items_match", "store", "rx_number", "date_of_service", "payer"),
        {"postgresql_with": {"fillfactor": 75}},
    )

    id: int | None = Field(default=None, sa_column=Column(_ID, primary_key=True))
    store: str = Field(max_length=15)
    rx_number: int = Field(sa_type=BigInteger)
    fill_number: int
    date_of_service: dt.date
    payer: str = Field(max_length=30)
    payer_seq: int = 1
    billing_method: str = Field(max_length=60)
    claim_key: str | None = Field(default=None, max_length=160)
    ndc: str | None = Field(default=None, max_length=11)
    prescriber_id: str | None = Field(default=None, max_length=15)
    ingredient_cost: int = _cents(0)
    dispensing_fee: int = _cents(0)
    patient_pay: int = _cents(0)
    amount_due: int = _cents(0)
    amount_paid: int = _cents(0)
    markdown: int = _cents(0)
    status: str = Field(max_length=10)
    reason: str | None = Field(default=None, max_length=20)
    aging_date: dt.date
    paid_date: dt.date | None = None
    check_number: str | None = Field(default=None, max_length=50)
    rule_version: str | None = Field(default=None, max_length=160)
    load_id: int | None = Field(default=None, sa_type=BigInteger)
    updated_at: dt.datetime


class ReconClaimExceptionRow(SQLModel, table=True):
    """A claim a load did not add: duplicate, zero balance, unauthorized, resubmitted, bad."""

    __tablename__ = "recon_claim_exceptions"

    id: int | None = Field(default=None, sa_column=Column(_ID, primary_key=True))
    batch_id: int = Field(sa_type=BigInteger, index=True)
    row: int
    category: str = Field(max_length=20)
    store: str | None = Field(default=None, max_length=15)
    rx_number: int | None = Field(default=None, sa_type=BigInteger)
    fill_number: int | None = None
    date_of_service: dt.date | None = None
    payer: str | None = Field(default=None, max_length=30)
    billing_method: str | None = Field(default=None, max_length=60)
    amount_due: int | None = _cents()
    prescriber_id: str | None = Field(default=None, max_length=15)
    original_found: bool | None = None
    reason: str | None = Field(default=None, max_length=200)


class ReconPaymentRow(SQLModel, table=True):
    """One remitted claim payment as loaded, and what reconciliation decided about it."""

    __tablename__ = "recon_payments"
    __table_args__ = ({"postgresql_with": {"fillfactor": 70}},)

    id: int | None = Field(default=None, sa_column=Column(_ID, primary_key=True))
    batch_id: int = Field(sa_type=BigInteger)
    line: int
    segment: int | None = None
    store: str | None = Field(default=None, max_length=15)
    rx_number: int | None = Field(default=None, sa_type=BigInteger)
    fill_number: int | None = None
    date_of_service: dt.date | None = None
    payer: str | None = Field(default=None, max_length=30)
    ndc: str | None = Field(default=None, max_length=11)
    status_code: str = Field(max_length=2)
    charge: int = _cents(0)
    paid: int = _cents(0)
    patient_resp: int = _cents(0)
    reason_code: str | None = Field(default=None, max_length=12)
    payer_control: str | None = Field(default=None, max_length=50)
    original_ref: str | None = Field(default=None, max_length=50)
    payment_date: dt.date
    check_number: str | None = Field(default=None, max_length=50)
    outcome: str | None = Field(default=None, max_length=20)
    note: str | None = Field(default=None, max_length=200)
    item_id: int | None = Field(default=None, sa_type=BigInteger)
    due_before: int | None = _cents()
    paid_before: int | None = _cents()
    markdown: int | None = _cents()
    rule_version: str | None = Field(default=None, max_length=160)
    run_id: int | None = Field(default=None, sa_type=BigInteger)


class ReconAdjustmentRow(SQLModel, table=True):
    """A CAS adjustment of a claim payment, or a PLB provider-level adjustment (no claim)."""

    __tablename__ = "recon_adjustments"

    id: int | None = Field(default=None, sa_column=Column(_ID, primary_key=True))
    batch_id: int = Field(sa_type=BigInteger, index=True)
    payment_id: int | None = Field(default=None, sa_type=BigInteger, index=True)
    level: str = Field(max_length=8)
    group_code: str | None = Field(default=None, max_length=2)
    reason: str = Field(max_length=5)
    amount: int = _cents(0)
    category: str = Field(max_length=20)
    payer: str | None = Field(default=None, max_length=30)
    provider_id: str | None = Field(default=None, max_length=30)
    reference: str | None = Field(default=None, max_length=50)
    fiscal_date: dt.date | None = None
    line: int | None = None
    rule_version: str | None = Field(default=None, max_length=160)


class ReconArchiveRow(SQLModel, table=True):
    """One archive of purged closed items: when, up to which date, how much, restored when."""

    __tablename__ = "recon_archives"

    id: int | None = Field(default=None, sa_column=Column(_ID, primary_key=True))
    at: dt.datetime
    actor: str = Field(max_length=100)
    before: dt.date
    items: int = 0
    payments: int = 0
    adjustments: int = 0
    amount_due: int = _cents(0)
    amount_paid: int = _cents(0)
    digest: str = Field(max_length=64)
    restored_at: dt.datetime | None = None


class ReconArchiveChunkRow(SQLModel, table=True):
    """Compressed JSON lines of archived rows, in order (a chunk keeps memory bounded)."""

    __tablename__ = "recon_archive_chunks"

    archive_id: int = Field(sa_column=Column(_ID, primary_key=True))
    seq: int = Field(primary_key=True)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
