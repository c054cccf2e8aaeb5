"""What a product feed (Google Shopping, Letzshop) needs beyond the price: the condition, an
availability staff may set instead of the stock's (pre-order), the cost (for the margin staff
see) and whether the product is digital (never out of stock).

Revision ID: catalog_005
Revises: catalog_004
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "catalog_005"
down_revision = "catalog_004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("catalog_products") as batch:
        batch.add_column(sa.Column("condition", sa.String(20), nullable=False, server_default="new"))
        batch.add_column(sa.Column("availability", sa.String(20), nullable=True))
        batch.add_column(sa.Column("cost_cents", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("is_digital", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("catalog_products") as batch:
        batch.drop_column("is_digital")
        batch.drop_column("cost_cents")
        batch.drop_column("availability")
        batch.drop_column("condition")
