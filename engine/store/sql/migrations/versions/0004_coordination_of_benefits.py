"""Coordination of benefits: families' other coverage, claims' place among the payers.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the other-coverage JSON to families and the COB columns to claim entries."""
    op.add_column("families", sa.Column("cob", sa.JSON(), nullable=True))
    with op.batch_alter_table("claim_entries") as batch:
        batch.add_column(sa.Column("payer_seq", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("other_payer_paid", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("other_troop", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("plro", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    """Drop what ``upgrade`` added."""
    with op.batch_alter_table("claim_entries") as batch:
        batch.drop_column("plro")
        batch.drop_column("other_troop")
        batch.drop_column("other_payer_paid")
        batch.drop_column("payer_seq")
    with op.batch_alter_table("families") as batch:
        batch.drop_column("cob")
