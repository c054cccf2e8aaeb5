"""Stores buy add-ons on top of their plan.

Revision ID: billing_003
Revises: billing_002
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "billing_003"
down_revision = "billing_002"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "store_add_ons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(30), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("ends_at", TS, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_store_add_ons"),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], name="fk_store_add_ons_store_id_stores", ondelete="CASCADE"),
        sa.UniqueConstraint("store_id", "code", name="uq_store_add_ons_store_id_code"),
    )


def downgrade() -> None:
    op.drop_table("store_add_ons")
