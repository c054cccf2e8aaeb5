"""The storefront lists a store's published products newest first: one index answers it in
order (store, status, created_at, id), replacing the one on (store, status) alone, which left
every listing to sort all of a store's published products to show 24 of them.

Revision ID: catalog_002
Revises: catalog_001
Create Date: 2026-12-07
"""

from alembic import op

revision = "catalog_002"
down_revision = "catalog_001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_catalog_products_store_listing", "catalog_products",
                    ["store_id", "status", "created_at", "id"])
    op.drop_index("ix_catalog_products_store_status", table_name="catalog_products")


def downgrade() -> None:
    op.create_index("ix_catalog_products_store_status", "catalog_products", ["store_id", "status"])
    op.drop_index("ix_catalog_products_store_listing", table_name="catalog_products")
