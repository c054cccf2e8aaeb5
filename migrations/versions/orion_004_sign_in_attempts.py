"""Sign-in attempts, counted per account and per client address to throttle password guessing.

Revision ID: orion_004
Revises: orion_003
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "orion_004"
down_revision = "orion_003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_in_attempts",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_sign_in_attempts_key", "sign_in_attempts", ["key"])
    op.create_index("ix_sign_in_attempts_attempted_at", "sign_in_attempts", ["attempted_at"])


def downgrade() -> None:
    op.drop_index("ix_sign_in_attempts_attempted_at", table_name="sign_in_attempts")
    op.drop_index("ix_sign_in_attempts_key", table_name="sign_in_attempts")
    op.drop_table("sign_in_attempts")
