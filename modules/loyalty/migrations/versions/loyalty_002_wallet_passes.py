"""Wallet passes: each platform's Apple and Google Wallet credentials and the devices registered
for a pass's updates.

Revision ID: loyalty_002
Revises: loyalty_001
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "loyalty_002"
down_revision = "loyalty_001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "loyalty_wallet_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform_id", sa.Integer(), nullable=False),
        sa.Column("apple_pass_type_id", sa.String(200), nullable=False),
        sa.Column("apple_team_id", sa.String(20), nullable=False),
        sa.Column("apple_certificate_pem", sa.Text(), nullable=False),
        sa.Column("apple_private_key", sa.Text(), nullable=False),
        sa.Column("apple_wwdr_pem", sa.Text(), nullable=False),
        sa.Column("google_issuer_id", sa.String(40), nullable=False),
        sa.Column("google_service_account", sa.Text(), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_loyalty_wallet_settings"),
        sa.ForeignKeyConstraint(["platform_id"], ["platforms.id"], name="fk_loyalty_wallet_settings_platform_id_platforms", ondelete="CASCADE"),
        sa.UniqueConstraint("platform_id", name="uq_loyalty_wallet_settings_platform_id"),
    )
    op.create_table(
        "loyalty_pass_registrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("card_id", sa.Integer(), nullable=False),
        sa.Column("device_library_id", sa.String(100), nullable=False),
        sa.Column("pass_type_id", sa.String(200), nullable=False),
        sa.Column("push_token", sa.String(200), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_loyalty_pass_registrations"),
        sa.ForeignKeyConstraint(["card_id"], ["loyalty_cards.id"], name="fk_loyalty_pass_registrations_card_id_loyalty_cards", ondelete="CASCADE"),
        sa.UniqueConstraint("device_library_id", "pass_type_id", "card_id",
                            name="uq_loyalty_pass_registrations_device"),
    )
    op.create_index("ix_loyalty_pass_registrations_card_id", "loyalty_pass_registrations", ["card_id"])
    op.create_index("ix_loyalty_pass_registrations_device_library_id", "loyalty_pass_registrations",
                    ["device_library_id"])


def downgrade() -> None:
    op.drop_table("loyalty_pass_registrations")
    op.drop_table("loyalty_wallet_settings")
