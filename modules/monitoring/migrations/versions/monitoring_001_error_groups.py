"""Create monitoring_error_groups (unhandled errors grouped by type and place).

Revision ID: monitoring_001
Revises:
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "monitoring_001"
down_revision = None
branch_labels = ("monitoring",)
depends_on = "orion_001"

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "monitoring_error_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("platform_id", sa.Integer(), nullable=True),
        sa.Column("error_type", sa.String(200), nullable=False),
        sa.Column("place", sa.String(300), nullable=False),
        sa.Column("message", sa.String(500), nullable=False),
        sa.Column("request", sa.JSON(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("first_seen", TS, nullable=False),
        sa.Column("last_seen", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_monitoring_error_groups"),
        sa.ForeignKeyConstraint(
            ["platform_id"], ["platforms.id"], name="fk_monitoring_error_groups_platform_id_platforms",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("fingerprint", name="uq_monitoring_error_groups_fingerprint"),
    )
    op.create_index("ix_monitoring_error_groups_platform_id", "monitoring_error_groups", ["platform_id"])
    op.create_index("ix_monitoring_error_groups_last_seen", "monitoring_error_groups", ["last_seen"])


def downgrade() -> None:
    op.drop_index("ix_monitoring_error_groups_last_seen", table_name="monitoring_error_groups")
    op.drop_index("ix_monitoring_error_groups_platform_id", table_name="monitoring_error_groups")
    op.drop_table("monitoring_error_groups")
