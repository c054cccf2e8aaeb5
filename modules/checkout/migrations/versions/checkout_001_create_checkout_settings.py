"""Create the checkout_settings table.

Revision ID: checkout_001
Revises:
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "checkout_001"
down_revision = None
branch_labels = ("checkout",)
depends_on = "orion_001"

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "checkout_settings",
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("pickup_enabled", sa.Boolean(), nullable=False),
        sa.Column("delivery_enabled", sa.Boolean(), nullable=False),
        sa.Column("delivery_price_cents", sa.Integer(), nullable=False),
        sa.Column("free_delivery_above_cents", sa.Integer(), nullable=True),
        sa.Column("shipping_vat_rate", sa.Integer(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("store_id", name="pk_checkout_settings"),
        sa.ForeignKeyConstraint(
            ["store_id"],
            ["stores.id"],
            name="fk_checkout_settings_store_id_stores",
            ondelete="CASCADE",
        ),
    )


def downgrade() -> None:
    op.drop_table("checkout_settings")
