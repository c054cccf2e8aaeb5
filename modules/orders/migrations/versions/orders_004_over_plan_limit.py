"""Orders taken past the monthly order limit of the store's plan are accepted and flagged.

Revision ID: orders_004
Revises: orders_003
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "orders_004"
down_revision = "orders_003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.add_column(sa.Column("over_plan_limit", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("over_plan_limit")
