"""Create the daily aggregates of the stores' orders the reports read.

Revision ID: analytics_001
Revises:
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "analytics_001"
down_revision = None
branch_labels = ("analytics",)
depends_on = "orion_001"

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "analytics_daily_figures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("dimension", sa.String(16), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("label", sa.String(300), nullable=False),
        sa.Column("orders", sa.Integer(), nullable=False),
        sa.Column("revenue_cents", sa.BigInteger(), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("net_cents", sa.BigInteger(), nullable=False),
        sa.Column("vat_cents", sa.BigInteger(), nullable=False),
        sa.Column("gross_cents", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_analytics_daily_figures"),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.id"], name="fk_analytics_daily_figures_store_id_stores", ondelete="CASCADE"
        ),
        sa.UniqueConstraint(
            "store_id", "dimension", "day", "key", name="uq_analytics_daily_figures_store_id_dimension_day_key"
        ),
    )
    op.create_table(
        "analytics_store_builds",
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("built_at", TS, nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("store_id", name="pk_analytics_store_builds"),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.id"], name="fk_analytics_store_builds_store_id_stores", ondelete="CASCADE"
        ),
    )


def downgrade() -> None:
    op.drop_table("analytics_store_builds")
    op.drop_table("analytics_daily_figures")
