"""Reconciliation: receivables, payments, adjustments, loads, archives.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Create the reconciliation tables."""
    op.create_table(
        "recon_adjustments",
        sa.Column("id", _ID, nullable=False),
        sa.Column("batch_id", sa.BigInteger(), nullable=False),
        sa.Column("payment_id", sa.BigInteger(), nullable=True),
        sa.Column("level", sa.String(length=8), nullable=False),
        sa.Column("group_code", sa.String(length=2), nullable=True),
        sa.Column("reason", sa.String(length=5), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("payer", sa.String(length=30), nullable=True),
        sa.Column("provider_id", sa.String(length=30), nullable=True),
        sa.Column("reference", sa.String(length=50), nullable=True),
        sa.Column("fiscal_date", sa.Date(), nullable=True),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.Column("rule_version", sa.String(length=160), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_recon_adjustments_batch_id"), "recon_adjustments", ["batch_id"], unique=False
    )
    op.create_index(
        op.f("ix_recon_adjustments_payment_id"), "recon_adjustments", ["payment_id"], unique=False
    )
    op.create_table(
        "recon_archive_chunks",
        sa.Column("archive_id", _ID, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("archive_id", "seq"),
    )
    op.create_table(
        "recon_archives",
        sa.Column("id", _ID, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("before", sa.Date(), nullable=False),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.Column("payments", sa.Integer(), nullable=False),
        sa.Column("adjustments", sa.Integer(), nullable=False),
        sa.Column("amount_due", sa.BigInteger(), nullable=False),
        sa.Column("amount_paid", sa.BigInteger(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("restored_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "recon_batches",
        sa.Column("id", _ID, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=True),
        sa.Column("digest", sa.String(length=64), nullable=True),
        sa.Column("payer", sa.String(length=30), nullable=True),
        sa.Column("check_number", sa.String(length=50), nullable=True),
        sa.Column("payment_date", sa.Date(), nullable=True),
        sa.Column("payment_method", sa.String(length=3), nullable=True),
        sa.Column("control_total", sa.BigInteger(), nullable=True),
        sa.Column("detail_total", sa.BigInteger(), nullable=True),
        sa.Column("provider_total", sa.BigInteger(), nullable=True),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("accepted", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_recon_batches_digest"), "recon_batches", ["digest"], unique=False)
    op.create_table(
        "recon_claim_exceptions",
        sa.Column("id", _ID, nullable=False),
        sa.Column("batch_id", sa.BigInteger(), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("store", sa.String(length=15), nullable=True),
        sa.Column("rx_number", sa.BigInteger(), nullable=True),
        sa.Column("fill_number", sa.Integer(), nullable=True),
        sa.Column("date_of_service", sa.Date(), nullable=True),
        sa.Column("payer", sa.String(length=30), nullable=True),
        sa.Column("billing_method", sa.String(length=60), nullable=True),
        sa.Column("amount_due", sa.BigInteger(), nullable=True),
        sa.Column("prescriber_id", sa.String(length=15), nullable=True),
        sa.Column("original_found", sa.Boolean(), nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_recon_claim_exceptions_batch_id"),
        "recon_claim_exceptions",
        ["batch_id"],
        unique=False,
    )
    op.create_table(
        "recon_items",
        sa.Column("id", _ID, nullable=False),
        sa.Column("store", sa.String(length=15), nullable=False),
        sa.Column("rx_number", sa.BigInteger(), nullable=False),
        sa.Column("fill_number", sa.Integer(), nullable=False),
        sa.Column("date_of_service", sa.Date(), nullable=False),
        sa.Column("payer", sa.String(length=30), nullable=False),
        sa.Column("payer_seq", sa.Integer(), nullable=False),
        sa.Column("billing_method", sa.String(length=60), nullable=False),
        sa.Column("claim_key", sa.String(length=160), nullable=True),
        sa.Column("ndc", sa.String(length=11), nullable=True),
        sa.Column("prescriber_id", sa.String(length=15), nullable=True),
        sa.Column("ingredient_cost", sa.BigInteger(), nullable=False),
        sa.Column("dispensing_fee", sa.BigInteger(), nullable=False),
        sa.Column("patient_pay", sa.BigInteger(), nullable=False),
        sa.Column("amount_due", sa.BigInteger(), nullable=False),
        sa.Column("amount_paid", sa.BigInteger(), nullable=False),
        sa.Column("markdown", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=True),
        sa.Column("aging_date", sa.Date(), nullable=False),
        sa.Column("paid_date", sa.Date(), nullable=True),
        sa.Column("check_number", sa.String(length=50), nullable=True),
        sa.Column("rule_version", sa.String(length=160), nullable=True),
        sa.Column("load_id", sa.BigInteger(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        postgresql_with={"fillfactor": 75},
    )
    op.create_index(
        "ix_recon_items_match",
        "recon_items",
        ["store", "rx_number", "date_of_service", "payer"],
        unique=False,
    )
    op.create_table(
        "recon_payments",
        sa.Column("id", _ID, nullable=False),
        sa.Column("batch_id", sa.BigInteger(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("segment", sa.Integer(), nullable=True),
        sa.Column("store", sa.String(length=15), nullable=True),
        sa.Column("rx_number", sa.BigInteger(), nullable=True),
        sa.Column("fill_number", sa.Integer(), nullable=True),
        sa.Column("date_of_service", sa.Date(), nullable=True),
        sa.Column("payer", sa.String(length=30), nullable=True),
        sa.Column("ndc", sa.String(length=11), nullable=True),
        sa.Column("status_code", sa.String(length=2), nullable=False),
        sa.Column("charge", sa.BigInteger(), nullable=False),
        sa.Column("paid", sa.BigInteger(), nullable=False),
        sa.Column("patient_resp", sa.BigInteger(), nullable=False),
        sa.Column("reason_code", sa.String(length=12), nullable=True),
        sa.Column("payer_control", sa.String(length=50), nullable=True),
        sa.Column("original_ref", sa.String(length=50), nullable=True),
        sa.Column("payment_date", sa.Date(), nullable=False),
        sa.Column("check_number", sa.String(length=50), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("item_id", sa.BigInteger(), nullable=True),
        sa.Column("due_before", sa.BigInteger(), nullable=True),
        sa.Column("paid_before", sa.BigInteger(), nullable=True),
        sa.Column("markdown", sa.BigInteger(), nullable=True),
        sa.Column("rule_version", sa.String(length=160), nullable=True),
        sa.Column("run_id", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        postgresql_with={"fillfactor": 70},
    )


def downgrade() -> None:
    """Drop the reconciliation tables."""
    op.drop_table("recon_payments")
    op.drop_index("ix_recon_items_match", table_name="recon_items")
    op.drop_table("recon_items")
    op.drop_index(op.f("ix_recon_claim_exceptions_batch_id"), table_name="recon_claim_exceptions")
    op.drop_table("recon_claim_exceptions")
    op.drop_index(op.f("ix_recon_batches_digest"), table_name="recon_batches")
    op.drop_table("recon_batches")
    op.drop_table("recon_archives")
    op.drop_table("recon_archive_chunks")
    op.drop_index(op.f("ix_recon_adjustments_payment_id"), table_name="recon_adjustments")
    op.drop_index(op.f("ix_recon_adjustments_batch_id"), table_name="recon_adjustments")
    op.drop_table("recon_adjustments")
