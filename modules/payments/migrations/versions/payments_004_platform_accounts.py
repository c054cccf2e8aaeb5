"""Stores pay their subscription invoices through the platform's own card account: the
platform_payment_settings table, and payments.platform_id marking a payment to the platform.

Revision ID: payments_004
Revises: payments_003
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "payments_004"
down_revision = "payments_003"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "platform_payment_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform_id", sa.Integer(), nullable=False),
        sa.Column("gateway", sa.String(32), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_platform_payment_settings"),
        sa.ForeignKeyConstraint(
            ["platform_id"],
            ["platforms.id"],
            name="fk_platform_payment_settings_platform_id_platforms",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "platform_id", "gateway", name="uq_platform_payment_settings_platform_id_gateway"
        ),
    )
    op.create_index(
        "ix_platform_payment_settings_platform_id", "platform_payment_settings", ["platform_id"]
    )
    with op.batch_alter_table("payments") as batch:
        batch.add_column(sa.Column("platform_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_payments_platform_id_platforms", "platforms", ["platform_id"], ["id"], ondelete="CASCADE"
        )
        batch.create_index("ix_payments_platform_id", ["platform_id"])


def downgrade() -> None:
    with op.batch_alter_table("payments") as batch:
        batch.drop_index("ix_payments_platform_id")
        batch.drop_constraint("fk_payments_platform_id_platforms", type_="foreignkey")
        batch.drop_column("platform_id")
    op.drop_index("ix_platform_payment_settings_platform_id", table_name="platform_payment_settings")
    op.drop_table("platform_payment_settings")
