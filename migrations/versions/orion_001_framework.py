"""Framework tables: platforms, merchants, stores, users, memberships, sessions, module state,
the configuration revision and the audit log.

Revision ID: orion_001
Revises:
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "orion_001"
down_revision = None
branch_labels = ("orion",)
depends_on = None

TS = sa.DateTime(timezone=True)


def _timestamps() -> list[sa.Column]:
    return [sa.Column("created_at", TS, nullable=False), sa.Column("updated_at", TS, nullable=False)]


def upgrade() -> None:
    op.create_table(
        "platforms",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(50), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("domain", sa.String(255), unique=True),
        sa.Column("default_language", sa.String(5), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        *_timestamps(),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("email", sa.String(255), nullable=False, unique=True),
        sa.Column("full_name", sa.String(200), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(30), nullable=False),
        sa.Column("language", sa.String(5)),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("last_login_at", TS),
        *_timestamps(),
    )
    op.create_table(
        "merchants",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("platform_id", sa.Integer(), sa.ForeignKey("platforms.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("contact_email", sa.String(255)),
        sa.Column("contact_phone", sa.String(50)),
        sa.Column("website", sa.String(255)),
        sa.Column("business_address", sa.String(500)),
        sa.Column("tax_number", sa.String(50)),
        sa.Column("is_verified", sa.Boolean(), nullable=False),
        *_timestamps(),
    )
    op.create_index("ix_merchants_platform_id", "merchants", ["platform_id"])
    op.create_table(
        "stores",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("platform_id", sa.Integer(), sa.ForeignKey("platforms.id", ondelete="CASCADE"), nullable=False),
        sa.Column("merchant_id", sa.Integer(), sa.ForeignKey("merchants.id", ondelete="SET NULL")),
        sa.Column("code", sa.String(50), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("subdomain", sa.String(63), nullable=False),
        sa.Column("custom_domain", sa.String(255), unique=True),
        sa.Column("default_language", sa.String(5), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        *_timestamps(),
        sa.UniqueConstraint("platform_id", "subdomain"),
    )
    op.create_index("ix_stores_platform_id", "stores", ["platform_id"])
    op.create_index("ix_stores_merchant_id", "stores", ["merchant_id"])
    op.create_table(
        "store_memberships",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("store_id", sa.Integer(), sa.ForeignKey("stores.id", ondelete="CASCADE"), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("role", sa.String(30), nullable=False),
        sa.Column("permissions", sa.JSON(), nullable=False),
        *_timestamps(),
        sa.UniqueConstraint("store_id", "user_id"),
    )
    op.create_index("ix_store_memberships_store_id", "store_memberships", ["store_id"])
    op.create_index("ix_store_memberships_user_id", "store_memberships", ["user_id"])
    op.create_table(
        "user_sessions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("revoked_at", TS),
        sa.Column("ip_address", sa.String(64)),
        sa.Column("user_agent", sa.String(300)),
    )
    op.create_index("ix_user_sessions_user_id", "user_sessions", ["user_id"])
    op.create_table(
        "platform_modules",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("platform_id", sa.Integer(), sa.ForeignKey("platforms.id", ondelete="CASCADE"), nullable=False),
        sa.Column("module_code", sa.String(50), nullable=False),
        sa.Column("is_enabled", sa.Boolean(), nullable=False),
        sa.Column("changed_at", TS, nullable=False),
        sa.Column("changed_by_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL")),
        sa.UniqueConstraint("platform_id", "module_code"),
    )
    op.create_index("ix_platform_modules_platform_id", "platform_modules", ["platform_id"])
    revision_table = op.create_table(
        "config_revision",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("value", sa.BigInteger(), nullable=False),
    )
    op.bulk_insert(revision_table, [{"id": 1, "value": 0}])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("actor_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL")),
        sa.Column("actor_label", sa.String(200), nullable=False),
        sa.Column("action", sa.String(100), nullable=False),
        sa.Column("platform_id", sa.Integer(), sa.ForeignKey("platforms.id", ondelete="SET NULL")),
        sa.Column("target", sa.String(200), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
    )
    op.create_index("ix_audit_log_created_at", "audit_log", ["created_at"])
    op.create_index("ix_audit_log_action", "audit_log", ["action"])


def downgrade() -> None:
    for table in (
        "audit_log",
        "config_revision",
        "platform_modules",
        "user_sessions",
        "store_memberships",
        "stores",
        "merchants",
        "users",
        "platforms",
    ):
        op.drop_table(table)
