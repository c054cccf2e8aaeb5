"""Create the carts and cart_lines tables.

Revision ID: cart_001
Revises:
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "cart_001"
down_revision = None
branch_labels = ("cart",)
depends_on = "orion_001"

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "carts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=True),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_carts"),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.id"], name="fk_carts_store_id_stores", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("token_hash", name="uq_carts_token_hash"),
    )
    op.create_index("ix_carts_store_id", "carts", ["store_id"])
    op.create_index("ix_carts_store_customer", "carts", ["store_id", "customer_id"])
    op.create_index("ix_carts_status_expires", "carts", ["status", "expires_at"])

    op.create_table(
        "cart_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cart_id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(64), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price_cents", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_cart_lines"),
        sa.ForeignKeyConstraint(
            ["cart_id"], ["carts.id"], name="fk_cart_lines_cart_id_carts", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("cart_id", "sku", name="uq_cart_lines_cart_id_sku"),
    )
    op.create_index("ix_cart_lines_cart_id", "cart_lines", ["cart_id"])


def downgrade() -> None:
    op.drop_index("ix_cart_lines_cart_id", table_name="cart_lines")
    op.drop_table("cart_lines")
    op.drop_index("ix_carts_status_expires", table_name="carts")
    op.drop_index("ix_carts_store_customer", table_name="carts")
    op.drop_index("ix_carts_store_id", table_name="carts")
    op.drop_table("carts")
