"""The first schema: claims, accumulator transactions, medical, members, audit log.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Create every table of the first schema."""
    op.create_table(
        "audit_log",
        sa.Column("id", _ID, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"], unique=False)
    op.create_table(
        "claim_entries",
        sa.Column("id", _ID, nullable=False),
        sa.Column("claim_key", sa.String(length=160), nullable=True),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("transaction_code", sa.String(length=2), nullable=False),
        sa.Column("status", sa.String(length=1), nullable=False),
        sa.Column("cardholder_id", sa.String(length=20), nullable=True),
        sa.Column("plan_year", sa.Date(), nullable=True),
        sa.Column("txn_id", sa.String(length=200), nullable=True),
        sa.Column("decision", sa.JSON(), nullable=False),
        sa.Column("patient_pay", sa.BigInteger(), nullable=True),
        sa.Column("plan_pay", sa.BigInteger(), nullable=True),
        sa.Column("allowed", sa.BigInteger(), nullable=True),
        sa.Column("deductible", sa.BigInteger(), nullable=True),
        sa.Column("copay", sa.BigInteger(), nullable=True),
        sa.Column("coinsurance", sa.BigInteger(), nullable=True),
        sa.Column("out_of_pocket", sa.BigInteger(), nullable=True),
        sa.Column("plan_version", sa.String(length=120), nullable=True),
        sa.Column("formulary_version", sa.String(length=120), nullable=True),
        sa.Column("network_version", sa.String(length=120), nullable=True),
        sa.Column("prices_version", sa.String(length=120), nullable=True),
        sa.Column("edits_version", sa.String(length=120), nullable=True),
        sa.Column("request", sa.JSON(), nullable=True),
        sa.Column("raw_request", sa.LargeBinary(), nullable=True),
        sa.Column("raw_response", sa.LargeBinary(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_claim_entries_cardholder_id"), "claim_entries", ["cardholder_id"], unique=False
    )
    op.create_index(
        "ix_claim_entries_key_kind_id", "claim_entries", ["claim_key", "kind", "id"], unique=False
    )
    op.create_index(
        op.f("ix_claim_entries_recorded_at"), "claim_entries", ["recorded_at"], unique=False
    )
    op.create_table(
        "families",
        sa.Column("cardholder_id", sa.String(length=20), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("cardholder_id"),
    )
    op.create_table(
        "medical_txns",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("txn_id", sa.String(length=200), nullable=False),
        sa.Column("cardholder_id", sa.String(length=20), nullable=False),
        sa.Column("person_code", sa.String(length=3), nullable=False),
        sa.Column("date_of_service", sa.Date(), nullable=False),
        sa.Column("plan_year", sa.Date(), nullable=False),
        sa.Column("deductible", sa.BigInteger(), nullable=False),
        sa.Column("out_of_pocket", sa.BigInteger(), nullable=False),
        sa.Column("reverses", sa.String(length=100), nullable=True),
        sa.Column("source_file", sa.String(length=300), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("txn_id"),
    )
    op.create_index(
        op.f("ix_medical_txns_cardholder_id"), "medical_txns", ["cardholder_id"], unique=False
    )
    op.create_table(
        "accumulator_txns",
        sa.Column("seq", _ID, nullable=False),
        sa.Column("txn_id", sa.String(length=200), nullable=False),
        sa.Column("cardholder_id", sa.String(length=20), nullable=False),
        sa.Column("plan_year", sa.Date(), nullable=False),
        sa.Column("deltas", sa.JSON(), nullable=False),
        sa.Column("net", sa.JSON(), nullable=False),
        sa.Column("net_deductible", sa.BigInteger(), nullable=False),
        sa.Column("net_out_of_pocket", sa.BigInteger(), nullable=False),
        sa.Column("reverses", sa.String(length=200), nullable=True),
        sa.Column("reverses_seq", _ID, nullable=True),
        sa.Column("fill", sa.JSON(), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("claim_entry_id", _ID, nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_entry_id"],
            ["claim_entries.id"],
        ),
        sa.ForeignKeyConstraint(
            ["reverses_seq"],
            ["accumulator_txns.seq"],
        ),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("txn_id"),
    )
    op.create_index(
        op.f("ix_accumulator_txns_cardholder_id"),
        "accumulator_txns",
        ["cardholder_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_accumulator_txns_recorded_at"), "accumulator_txns", ["recorded_at"], unique=False
    )
    op.create_table(
        "coverages",
        sa.Column("id", _ID, nullable=False),
        sa.Column("cardholder_id", sa.String(length=20), nullable=False),
        sa.Column("plan", sa.String(length=60), nullable=False),
        sa.Column("group_id", sa.String(length=30), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=True),
        sa.Column("persons", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["cardholder_id"],
            ["families.cardholder_id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("cardholder_id", "plan", "group_id", "start"),
    )
    op.create_index(
        op.f("ix_coverages_cardholder_id"), "coverages", ["cardholder_id"], unique=False
    )
    op.create_table(
        "persons",
        sa.Column("cardholder_id", sa.String(length=20), nullable=False),
        sa.Column("person_code", sa.String(length=3), nullable=False),
        sa.Column("relationship", sa.String(length=1), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column("gender", sa.String(length=1), nullable=False),
        sa.ForeignKeyConstraint(
            ["cardholder_id"],
            ["families.cardholder_id"],
        ),
        sa.PrimaryKeyConstraint("cardholder_id", "person_code"),
    )


def downgrade() -> None:
    """Drop every table."""
    op.drop_table("persons")
    op.drop_index(op.f("ix_coverages_cardholder_id"), table_name="coverages")
    op.drop_table("coverages")
    op.drop_index(op.f("ix_accumulator_txns_recorded_at"), table_name="accumulator_txns")
    op.drop_index(op.f("ix_accumulator_txns_cardholder_id"), table_name="accumulator_txns")
    op.drop_table("accumulator_txns")
    op.drop_index(op.f("ix_medical_txns_cardholder_id"), table_name="medical_txns")
    op.drop_table("medical_txns")
    op.drop_table("families")
    op.drop_index(op.f("ix_claim_entries_recorded_at"), table_name="claim_entries")
    op.drop_index("ix_claim_entries_key_kind_id", table_name="claim_entries")
    op.drop_index(op.f("ix_claim_entries_cardholder_id"), table_name="claim_entries")
    op.drop_table("claim_entries")
    op.drop_index(op.f("ix_audit_log_at"), table_name="audit_log")
    op.drop_table("audit_log")
