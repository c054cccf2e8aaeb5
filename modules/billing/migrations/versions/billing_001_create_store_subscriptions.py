"""Create the store_subscriptions table.

Revision ID: billing_001
Revises:
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "billing_001"
down_revision = None
branch_labels = ("billing",)
depends_on = "orion_001"

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "store_subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("tier", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("trial_ends_at", TS, nullable=True),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_store_subscriptions"),
        sa.ForeignKeyConstraint(
            ["store_id"],
            ["stores.id"],
            name="fk_store_subscriptions_store_id_stores",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("store_id", name="uq_store_subscriptions_store_id"),
    )


def downgrade() -> None:
    op.drop_table("store_subscriptions")
