"""Prior authorizations on file.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the prior_authorizations table."""
    op.create_table(
        "prior_authorizations",
        sa.Column("number", sa.String(length=11), nullable=False),
        sa.Column("cardholder_id", sa.String(length=20), nullable=False),
        sa.Column("person_code", sa.String(length=3), nullable=False),
        sa.Column("ndc", sa.String(length=11), nullable=True),
        sa.Column("drug_group", sa.String(length=200), nullable=True),
        sa.Column("drug_class", sa.String(length=100), nullable=True),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("lifts", sa.String(length=200), nullable=False),
        sa.Column("quantity", sa.String(length=20), nullable=True),
        sa.Column("per_days", sa.Integer(), nullable=True),
        sa.Column("max_days_supply", sa.Integer(), nullable=True),
        sa.Column("tier", sa.Integer(), nullable=True),
        sa.Column("approved_by", sa.String(length=100), nullable=False),
        sa.Column("revoked_on", sa.Date(), nullable=True),
        sa.Column("revoked_by", sa.String(length=100), nullable=True),
        sa.Column("revoke_reason", sa.String(length=500), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("number"),
    )
    op.create_index(
        op.f("ix_prior_authorizations_cardholder_id"),
        "prior_authorizations",
        ["cardholder_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_prior_authorizations_updated_at"),
        "prior_authorizations",
        ["updated_at"],
        unique=False,
    )


def downgrade() -> None:
    """Drop the prior_authorizations table."""
    op.drop_index(op.f("ix_prior_authorizations_updated_at"), table_name="prior_authorizations")
    op.drop_index(op.f("ix_prior_authorizations_cardholder_id"), table_name="prior_authorizations")
    op.drop_table("prior_authorizations")
