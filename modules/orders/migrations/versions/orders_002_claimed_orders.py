"""Orders show in a customer's account only once claimed: at once when placed signed in, after
the address owner confirmed by e-mail link when placed as a guest. Orders placed before this
revision stay visible where they were (claimed at their placing).

Revision ID: orders_002
Revises: orders_001
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "orders_002"
down_revision = "orders_001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE orders SET claimed_at = placed_at WHERE customer_id IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("claimed_at")
