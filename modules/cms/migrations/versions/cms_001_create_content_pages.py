"""Create the content_pages and content_page_translations tables.

Revision ID: cms_001
Revises:
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "cms_001"
down_revision = None
branch_labels = ("cms",)
depends_on = "orion_001"

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "content_pages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform_id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=True),
        sa.Column("slug", sa.String(100), nullable=False),
        sa.Column("show_in_header", sa.Boolean(), nullable=False),
        sa.Column("show_in_footer", sa.Boolean(), nullable=False),
        sa.Column("is_legal", sa.Boolean(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("is_published", sa.Boolean(), nullable=False),
        sa.Column("published_at", TS, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_content_pages"),
        sa.ForeignKeyConstraint(
            ["platform_id"],
            ["platforms.id"],
            name="fk_content_pages_platform_id_platforms",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.id"], name="fk_content_pages_store_id_stores", ondelete="CASCADE"
        ),
        sa.UniqueConstraint(
            "platform_id", "store_id", "slug", name="uq_content_pages_platform_id_store_id_slug"
        ),
    )
    op.create_index("ix_content_pages_platform_id", "content_pages", ["platform_id"])
    op.create_index("ix_content_pages_store_id", "content_pages", ["store_id"])
    op.create_index(
        "uq_content_pages_platform_slug",
        "content_pages",
        ["platform_id", "slug"],
        unique=True,
        sqlite_where=sa.text("store_id IS NULL"),
        postgresql_where=sa.text("store_id IS NULL"),
    )
    op.create_table(
        "content_page_translations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("page_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(5), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("seo_description", sa.String(300), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_content_page_translations"),
        sa.ForeignKeyConstraint(
            ["page_id"],
            ["content_pages.id"],
            name="fk_content_page_translations_page_id_content_pages",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "page_id", "language", name="uq_content_page_translations_page_id_language"
        ),
    )
    op.create_index(
        "ix_content_page_translations_page_id", "content_page_translations", ["page_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_content_page_translations_page_id", table_name="content_page_translations")
    op.drop_table("content_page_translations")
    op.drop_index("uq_content_pages_platform_slug", table_name="content_pages")
    op.drop_index("ix_content_pages_store_id", table_name="content_pages")
    op.drop_index("ix_content_pages_platform_id", table_name="content_pages")
    op.drop_table("content_pages")
