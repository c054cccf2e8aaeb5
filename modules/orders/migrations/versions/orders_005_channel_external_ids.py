"""An order of an outside channel (Letzshop) is known by its id there: the store, the channel
and the external id are unique together, so a channel's sync run twice brings an order in once
(orders of the shop itself have no external id, and NULLs never clash).

Revision ID: orders_005
Revises: orders_004
Create Date: 2026-12-07
"""

from alembic import op

revision = "orders_005"
down_revision = "orders_004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.create_unique_constraint("uq_orders_store_id_channel_external_id", ["store_id", "channel", "external_id"])


def downgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.drop_constraint("uq_orders_store_id_channel_external_id", type_="unique")
