"""Create the catalog tables (categories, products, variants, images, translations) and, on
SQLite, the FTS5 table ``catalog_search``.

Revision ID: catalog_001
Revises:
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "catalog_001"
down_revision = None
branch_labels = ("catalog",)
depends_on = "orion_001"

TS = sa.DateTime(timezone=True)


def _timestamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    ]


def _fk(table: str, column: str, target: str, ondelete: str = "CASCADE") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "catalog_categories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("slug", sa.String(100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_catalog_categories"),
        _fk("catalog_categories", "store_id", "stores"),
        _fk("catalog_categories", "parent_id", "catalog_categories", "SET NULL"),
        sa.UniqueConstraint("store_id", "slug", name="uq_catalog_categories_store_id_slug"),
    )
    op.create_index("ix_catalog_categories_store_id", "catalog_categories", ["store_id"])
    op.create_index("ix_catalog_categories_parent_id", "catalog_categories", ["parent_id"])

    op.create_table(
        "catalog_category_translations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(5), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_catalog_category_translations"),
        _fk("catalog_category_translations", "category_id", "catalog_categories"),
        sa.UniqueConstraint(
            "category_id", "language", name="uq_catalog_category_translations_category_id_language"
        ),
    )
    op.create_index(
        "ix_catalog_category_translations_category_id",
        "catalog_category_translations",
        ["category_id"],
    )

    op.create_table(
        "catalog_products",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("slug", sa.String(100), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("brand", sa.String(100), nullable=False),
        sa.Column("gtin", sa.String(14), nullable=False),
        sa.Column("vat_rate", sa.Integer(), nullable=False),
        sa.Column("price_cents", sa.Integer(), nullable=False),
        sa.Column("sale_price_cents", sa.Integer(), nullable=True),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_catalog_products"),
        _fk("catalog_products", "store_id", "stores"),
        _fk("catalog_products", "category_id", "catalog_categories", "SET NULL"),
        sa.UniqueConstraint("store_id", "slug", name="uq_catalog_products_store_id_slug"),
    )
    op.create_index("ix_catalog_products_store_id", "catalog_products", ["store_id"])
    op.create_index("ix_catalog_products_category_id", "catalog_products", ["category_id"])
    op.create_index("ix_catalog_products_store_status", "catalog_products", ["store_id", "status"])

    op.create_table(
        "catalog_product_translations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(5), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_catalog_product_translations"),
        _fk("catalog_product_translations", "product_id", "catalog_products"),
        sa.UniqueConstraint(
            "product_id", "language", name="uq_catalog_product_translations_product_id_language"
        ),
    )
    op.create_index(
        "ix_catalog_product_translations_product_id", "catalog_product_translations", ["product_id"]
    )

    op.create_table(
        "catalog_variants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(64), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("price_cents", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_catalog_variants"),
        _fk("catalog_variants", "product_id", "catalog_products"),
        _fk("catalog_variants", "store_id", "stores"),
        sa.UniqueConstraint("store_id", "sku", name="uq_catalog_variants_store_id_sku"),
    )
    op.create_index("ix_catalog_variants_product_id", "catalog_variants", ["product_id"])
    op.create_index("ix_catalog_variants_store_id", "catalog_variants", ["store_id"])

    op.create_table(
        "catalog_images",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("content_type", sa.String(50), nullable=False),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_catalog_images"),
        _fk("catalog_images", "product_id", "catalog_products"),
    )
    op.create_index("ix_catalog_images_product_id", "catalog_images", ["product_id"])

    if op.get_bind().dialect.name == "sqlite":
        # One row per product and language: rowid = product id * 16 + the language's slot.
        op.execute(
            "CREATE VIRTUAL TABLE catalog_search USING fts5("
            "store_id UNINDEXED, language UNINDEXED, title, description, skus, "
            "tokenize = 'unicode61 remove_diacritics 2')"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS catalog_search")
    op.drop_index("ix_catalog_images_product_id", table_name="catalog_images")
    op.drop_table("catalog_images")
    op.drop_index("ix_catalog_variants_store_id", table_name="catalog_variants")
    op.drop_index("ix_catalog_variants_product_id", table_name="catalog_variants")
    op.drop_table("catalog_variants")
    op.drop_index(
        "ix_catalog_product_translations_product_id", table_name="catalog_product_translations"
    )
    op.drop_table("catalog_product_translations")
    op.drop_index("ix_catalog_products_store_status", table_name="catalog_products")
    op.drop_index("ix_catalog_products_category_id", table_name="catalog_products")
    op.drop_index("ix_catalog_products_store_id", table_name="catalog_products")
    op.drop_table("catalog_products")
    op.drop_index(
        "ix_catalog_category_translations_category_id", table_name="catalog_category_translations"
    )
    op.drop_table("catalog_category_translations")
    op.drop_index("ix_catalog_categories_parent_id", table_name="catalog_categories")
    op.drop_index("ix_catalog_categories_store_id", table_name="catalog_categories")
    op.drop_table("catalog_categories")
