"""Create the analytics_saved_reports table (custom reports a store saved).

Revision ID: analytics_002
Revises: analytics_001
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "analytics_002"
down_revision = "analytics_001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "analytics_saved_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("dimensions", sa.JSON(), nullable=False),
        sa.Column("measures", sa.JSON(), nullable=False),
        sa.Column("default_range", sa.String(20), nullable=False),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_analytics_saved_reports"),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.id"], name="fk_analytics_saved_reports_store_id_stores", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["users.id"],
            name="fk_analytics_saved_reports_created_by_user_id_users",
            ondelete="SET NULL",
        ),
        sa.UniqueConstraint("store_id", "name", name="uq_analytics_saved_reports_store_id_name"),
    )
    op.create_index("ix_analytics_saved_reports_store_id", "analytics_saved_reports", ["store_id"])


def downgrade() -> None:
    op.drop_index("ix_analytics_saved_reports_store_id", table_name="analytics_saved_reports")
    op.drop_table("analytics_saved_reports")
