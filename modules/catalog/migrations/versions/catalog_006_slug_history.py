"""The slugs products and categories had before: their old addresses answer with a 301.

Revision ID: catalog_006
Revises: catalog_005
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "catalog_006"
down_revision = "catalog_005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "catalog_slug_redirects",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("store_id", sa.Integer, sa.ForeignKey("stores.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("old_slug", sa.String(100), nullable=False),
        sa.Column("product_id", sa.Integer, sa.ForeignKey("catalog_products.id", ondelete="CASCADE")),
        sa.Column("category_id", sa.Integer, sa.ForeignKey("catalog_categories.id", ondelete="CASCADE")),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("store_id", "kind", "old_slug"),
    )


def downgrade() -> None:
    op.drop_table("catalog_slug_redirects")
