"""The audit log names the store a change concerns, so an owner can read their store's entries,
and is searchable by platform and store.

Revision ID: orion_006
Revises: orion_005
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "orion_006"
down_revision = "orion_005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("store_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_audit_log_store_id_stores", "stores", ["store_id"], ["id"], ondelete="SET NULL")
        batch.create_index("ix_audit_log_store_id", ["store_id"])
        batch.create_index("ix_audit_log_platform_id", ["platform_id"])


def downgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_index("ix_audit_log_platform_id")
        batch.drop_index("ix_audit_log_store_id")
        batch.drop_constraint("fk_audit_log_store_id_stores", type_="foreignkey")
        batch.drop_column("store_id")
