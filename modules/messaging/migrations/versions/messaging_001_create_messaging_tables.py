"""Create email_templates, email_outbox, smtp_settings and notifications.

Revision ID: messaging_001
Revises:
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "messaging_001"
down_revision = None
branch_labels = ("messaging",)
depends_on = "orion_001"

TS = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "email_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform_id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(50), nullable=False),
        sa.Column("language", sa.String(5), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_email_templates"),
        _fk("email_templates", "platform_id", "platforms", "CASCADE"),
        _fk("email_templates", "store_id", "stores", "CASCADE"),
        sa.UniqueConstraint(
            "platform_id",
            "store_id",
            "code",
            "language",
            name="uq_email_templates_platform_id_store_id_code_language",
        ),
    )
    op.create_index("ix_email_templates_platform_id", "email_templates", ["platform_id"])
    op.create_index("ix_email_templates_store_id", "email_templates", ["store_id"])
    op.create_index(
        "uq_email_templates_platform_code_language",
        "email_templates",
        ["platform_id", "code", "language"],
        unique=True,
        sqlite_where=sa.text("store_id IS NULL"),
        postgresql_where=sa.text("store_id IS NULL"),
    )

    op.create_table(
        "email_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform_id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(50), nullable=False),
        sa.Column("to_address", sa.String(255), nullable=False),
        sa.Column("language", sa.String(5), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", TS, nullable=False),
        sa.Column("claimed_at", TS, nullable=True),
        sa.Column("last_error", sa.String(500), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("sent_at", TS, nullable=True),
        sa.Column("dedupe_key", sa.String(200), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_email_outbox"),
        _fk("email_outbox", "platform_id", "platforms", "CASCADE"),
        _fk("email_outbox", "store_id", "stores", "SET NULL"),
        sa.UniqueConstraint("dedupe_key", name="uq_email_outbox_dedupe_key"),
    )
    op.create_index("ix_email_outbox_platform_id", "email_outbox", ["platform_id"])
    op.create_index("ix_email_outbox_store_id", "email_outbox", ["store_id"])
    op.create_index(
        "ix_email_outbox_status_next_attempt_at", "email_outbox", ["status", "next_attempt_at"]
    )

    op.create_table(
        "smtp_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform_id", sa.Integer(), nullable=False),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("port", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(255), nullable=False),
        sa.Column("password", sa.String(500), nullable=False),
        sa.Column("use_tls", sa.Boolean(), nullable=False),
        sa.Column("use_starttls", sa.Boolean(), nullable=False),
        sa.Column("from_address", sa.String(255), nullable=False),
        sa.Column("from_name", sa.String(200), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_smtp_settings"),
        _fk("smtp_settings", "platform_id", "platforms", "CASCADE"),
        sa.UniqueConstraint("platform_id", name="uq_smtp_settings_platform_id"),
    )

    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(50), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("link", sa.String(500), nullable=False),
        sa.Column("read_at", TS, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_notifications"),
        _fk("notifications", "store_id", "stores", "CASCADE"),
    )
    op.create_index("ix_notifications_store_id", "notifications", ["store_id"])
    op.create_index("ix_notifications_created_at", "notifications", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_notifications_created_at", table_name="notifications")
    op.drop_index("ix_notifications_store_id", table_name="notifications")
    op.drop_table("notifications")
    op.drop_table("smtp_settings")
    op.drop_index("ix_email_outbox_status_next_attempt_at", table_name="email_outbox")
    op.drop_index("ix_email_outbox_store_id", table_name="email_outbox")
    op.drop_index("ix_email_outbox_platform_id", table_name="email_outbox")
    op.drop_table("email_outbox")
    op.drop_index("uq_email_templates_platform_code_language", table_name="email_templates")
    op.drop_index("ix_email_templates_store_id", table_name="email_templates")
    op.drop_index("ix_email_templates_platform_id", table_name="email_templates")
    op.drop_table("email_templates")
