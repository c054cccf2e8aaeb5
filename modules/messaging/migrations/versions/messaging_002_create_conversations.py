"""Create conversations and conversation_messages (customer ↔ store threads).

Revision ID: messaging_002
Revises: messaging_001
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "messaging_002"
down_revision = "messaging_001"
branch_labels = None
depends_on = "customers_001"

TS = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "conversations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("last_message_at", TS, nullable=False),
        sa.Column("closed_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_conversations"),
        _fk("conversations", "store_id", "stores", "CASCADE"),
        _fk("conversations", "customer_id", "customers", "CASCADE"),
    )
    op.create_index(
        "ix_conversations_store_id_last_message_at", "conversations", ["store_id", "last_message_at"]
    )
    op.create_index("ix_conversations_customer_id", "conversations", ["customer_id"])
    op.create_table(
        "conversation_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("sender", sa.String(10), nullable=False),
        sa.Column("author_user_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("read_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_conversation_messages"),
        _fk("conversation_messages", "conversation_id", "conversations", "CASCADE"),
        _fk("conversation_messages", "author_user_id", "users", "SET NULL"),
    )
    op.create_index(
        "ix_conversation_messages_conversation_id", "conversation_messages", ["conversation_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_conversation_messages_conversation_id", table_name="conversation_messages")
    op.drop_table("conversation_messages")
    op.drop_index("ix_conversations_customer_id", table_name="conversations")
    op.drop_index("ix_conversations_store_id_last_message_at", table_name="conversations")
    op.drop_table("conversations")
