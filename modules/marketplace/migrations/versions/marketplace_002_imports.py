"""Create the table of catalogue imports (progress, counts, per-row errors).

Revision ID: marketplace_002
Revises: marketplace_001
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "marketplace_002"
down_revision = "marketplace_001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "marketplace_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("language", sa.String(5), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("total_rows", sa.Integer(), nullable=False),
        sa.Column("done_rows", sa.Integer(), nullable=False),
        sa.Column("created_count", sa.Integer(), nullable=False),
        sa.Column("updated_count", sa.Integer(), nullable=False),
        sa.Column("unchanged_count", sa.Integer(), nullable=False),
        sa.Column("error_count", sa.Integer(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("cancel_requested", sa.Boolean(), nullable=False),
        sa.Column("actor", sa.String(255), nullable=True),
        sa.Column("finished_at", TS, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], name="fk_marketplace_imports_store_id_stores",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_marketplace_imports"),
    )
    op.create_index("ix_marketplace_imports_store_id_created_at", "marketplace_imports", ["store_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_marketplace_imports_store_id_created_at", table_name="marketplace_imports")
    op.drop_table("marketplace_imports")
