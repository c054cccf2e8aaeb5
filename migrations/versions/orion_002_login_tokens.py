"""One-time admin sign-in tokens (the console's "Open admin" and ``orion admin-link``).

Revision ID: orion_002
Revises: orion_001
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "orion_002"
down_revision = "orion_001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "login_tokens",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("used_at", TS),
    )
    op.create_index("ix_login_tokens_user_id", "login_tokens", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_login_tokens_user_id", table_name="login_tokens")
    op.drop_table("login_tokens")
