"""Platform admins are assigned to platforms; admins enter store dashboards through recorded
support access.

Existing platform admins are assigned to every platform that exists, so nobody loses what they
could reach before; a super admin narrows it on /admin/users.

Revision ID: orion_009
Revises: orion_008
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "orion_009"
down_revision = "orion_008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "admin_platforms",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("platform_id", sa.Integer(), sa.ForeignKey("platforms.id", ondelete="CASCADE"), primary_key=True),
    )
    op.create_index("ix_admin_platforms_platform_id", "admin_platforms", ["platform_id"])
    op.execute(
        "INSERT INTO admin_platforms (user_id, platform_id) "
        "SELECT users.id, platforms.id FROM users, platforms WHERE users.role = 'platform_admin'"
    )
    op.create_table(
        "support_access",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("session_id", sa.Integer(), sa.ForeignKey("user_sessions.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("store_id", sa.Integer(), sa.ForeignKey("stores.id", ondelete="CASCADE"), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
    )
    for column in ("user_id", "session_id", "store_id"):
        op.create_index(f"ix_support_access_{column}", "support_access", [column])


def downgrade() -> None:
    op.drop_table("support_access")
    op.drop_table("admin_platforms")
