"""Orders from Letzshop: each store's connection (endpoint and sealed key), the orders brought
in with their inventory units, and the history of the syncs.

Revision ID: marketplace_003
Revises: marketplace_002
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "marketplace_003"
down_revision = "marketplace_002"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "marketplace_letzshop_connections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("endpoint", sa.String(500), nullable=False),
        sa.Column("api_key", sa.Text(), nullable=False),
        sa.Column("key_hint", sa.String(8), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], name="fk_marketplace_letzshop_connections_store_id_stores",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_marketplace_letzshop_connections"),
        sa.UniqueConstraint("store_id", name="uq_marketplace_letzshop_connections_store_id"),
    )
    op.create_table(
        "marketplace_letzshop_orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(100), nullable=False),
        sa.Column("letzshop_number", sa.String(100), nullable=False),
        sa.Column("shipment_id", sa.String(100), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("order_number", sa.String(30), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("customer_name", sa.String(200), nullable=False),
        sa.Column("total_cents", sa.Integer(), nullable=False),
        sa.Column("placed_at", TS, nullable=False),
        sa.Column("tracking_code", sa.String(100), nullable=False),
        sa.Column("tracking_provider", sa.String(50), nullable=False),
        sa.Column("shipped_at", TS, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], name="fk_marketplace_letzshop_orders_store_id_stores",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_marketplace_letzshop_orders"),
        sa.UniqueConstraint("store_id", "external_id", name="uq_marketplace_letzshop_orders_store_id_external_id"),
    )
    op.create_index("ix_marketplace_letzshop_orders_store_id_placed_at", "marketplace_letzshop_orders",
                    ["store_id", "placed_at"])
    op.create_table(
        "marketplace_letzshop_units",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("letzshop_order_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.String(100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(100), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("unit_price_cents", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(30), nullable=False),
        sa.Column("reserved", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["letzshop_order_id"], ["marketplace_letzshop_orders.id"],
                                name="fk_marketplace_letzshop_units_order",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_marketplace_letzshop_units"),
        sa.UniqueConstraint("letzshop_order_id", "unit_id",
                            name="uq_marketplace_letzshop_units_letzshop_order_id_unit_id"),
    )
    op.create_index("ix_marketplace_letzshop_units_letzshop_order_id", "marketplace_letzshop_units",
                    ["letzshop_order_id"])
    op.create_table(
        "marketplace_letzshop_syncs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("trigger", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("finished_at", TS, nullable=True),
        sa.Column("orders_fetched", sa.Integer(), nullable=False),
        sa.Column("orders_created", sa.Integer(), nullable=False),
        sa.Column("error_count", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], name="fk_marketplace_letzshop_syncs_store_id_stores",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_marketplace_letzshop_syncs"),
    )
    op.create_index("ix_marketplace_letzshop_syncs_store_id_started_at", "marketplace_letzshop_syncs",
                    ["store_id", "started_at"])


def downgrade() -> None:
    op.drop_index("ix_marketplace_letzshop_syncs_store_id_started_at", table_name="marketplace_letzshop_syncs")
    op.drop_table("marketplace_letzshop_syncs")
    op.drop_index("ix_marketplace_letzshop_units_letzshop_order_id", table_name="marketplace_letzshop_units")
    op.drop_table("marketplace_letzshop_units")
    op.drop_index("ix_marketplace_letzshop_orders_store_id_placed_at", table_name="marketplace_letzshop_orders")
    op.drop_table("marketplace_letzshop_orders")
    op.drop_table("marketplace_letzshop_connections")
