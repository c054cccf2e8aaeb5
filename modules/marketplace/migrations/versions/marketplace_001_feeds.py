"""Create the table of the stores' Letzshop product feeds (token, last generation).

Revision ID: marketplace_001
Revises:
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "marketplace_001"
down_revision = None
branch_labels = ("marketplace",)
depends_on = "orion_001"

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "marketplace_feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("generated_at", TS, nullable=True),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=True),
        sa.Column("stale_since", TS, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], name=op.f("fk_marketplace_feeds_store_id_stores"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_marketplace_feeds")),
        sa.UniqueConstraint("store_id", name=op.f("uq_marketplace_feeds_store_id")),
        sa.UniqueConstraint("token", name=op.f("uq_marketplace_feeds_token")),
    )


def downgrade() -> None:
    op.drop_table("marketplace_feeds")
