"""Create the stock_locations, stock_items, stock_movements and stock_reservations tables.

Revision ID: inventory_001
Revises:
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "inventory_001"
down_revision = None
branch_labels = ("inventory",)
depends_on = "orion_001"

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "stock_locations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(50), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_stock_locations"),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.id"], name="fk_stock_locations_store_id_stores", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("store_id", "code", name="uq_stock_locations_store_id_code"),
    )
    op.create_index("ix_stock_locations_store_id", "stock_locations", ["store_id"])

    op.create_table(
        "stock_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(100), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("on_hand", sa.Integer(), nullable=False),
        sa.Column("reserved", sa.Integer(), nullable=False),
        sa.Column("low_stock_threshold", sa.Integer(), nullable=True),
        sa.Column("is_unlimited", sa.Boolean(), nullable=False),
        sa.Column("low_stock_since", TS, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_stock_items"),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.id"], name="fk_stock_items_store_id_stores", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["stock_locations.id"],
            name="fk_stock_items_location_id_stock_locations",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "store_id", "sku", "location_id", name="uq_stock_items_store_id_sku_location_id"
        ),
        sa.CheckConstraint("on_hand >= 0", name=op.f("ck_stock_items_on_hand_not_negative")),
        sa.CheckConstraint(
            "reserved >= 0 AND reserved <= on_hand",
            name=op.f("ck_stock_items_reserved_within_on_hand"),
        ),
    )
    op.create_index("ix_stock_items_location_id", "stock_items", ["location_id"])
    op.create_index("ix_stock_items_store_id_sku", "stock_items", ["store_id", "sku"])

    op.create_table(
        "stock_movements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(20), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_label", sa.String(255), nullable=True),
        sa.Column("reference", sa.String(100), nullable=True),
        sa.Column("note", sa.String(500), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_stock_movements"),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["stock_items.id"],
            name="fk_stock_movements_item_id_stock_items",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name="fk_stock_movements_actor_id_users", ondelete="SET NULL"
        ),
        sa.CheckConstraint("quantity <> 0", name=op.f("ck_stock_movements_quantity_not_zero")),
    )
    op.create_index("ix_stock_movements_item_id", "stock_movements", ["item_id"])

    op.create_table(
        "stock_reservations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(100), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("expires_at", TS, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_stock_reservations"),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["stock_items.id"],
            name="fk_stock_reservations_item_id_stock_items",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "item_id", "reference", name="uq_stock_reservations_item_id_reference"
        ),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_stock_reservations_quantity_positive")),
    )
    op.create_index("ix_stock_reservations_reference", "stock_reservations", ["reference"])


def downgrade() -> None:
    op.drop_index("ix_stock_reservations_reference", table_name="stock_reservations")
    op.drop_table("stock_reservations")
    op.drop_index("ix_stock_movements_item_id", table_name="stock_movements")
    op.drop_table("stock_movements")
    op.drop_index("ix_stock_items_store_id_sku", table_name="stock_items")
    op.drop_index("ix_stock_items_location_id", table_name="stock_items")
    op.drop_table("stock_items")
    op.drop_index("ix_stock_locations_store_id", table_name="stock_locations")
    op.drop_table("stock_locations")
