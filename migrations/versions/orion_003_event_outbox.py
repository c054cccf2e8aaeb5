"""The event outbox: events between modules, stored with the change that caused them, and the
record of which listener has had each.

Revision ID: orion_003
Revises: orion_002
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "orion_003"
down_revision = "orion_002"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "event_outbox",
        sa.Column("id", ID, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("platform_id", sa.Integer()),
        sa.Column("store_id", sa.Integer()),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", TS, nullable=False),
        sa.Column("claimed_until", TS),
        sa.Column("delivered_at", TS),
        sa.Column("failed_at", TS),
        sa.Column("last_error", sa.Text(), nullable=False),
    )
    op.create_index("ix_event_outbox_due", "event_outbox", ["delivered_at", "failed_at", "next_attempt_at"])
    op.create_table(
        "event_deliveries",
        sa.Column(
            "event_id", ID, sa.ForeignKey("event_outbox.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("listener", sa.String(200), primary_key=True),
        sa.Column("delivered_at", TS, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("event_deliveries")
    op.drop_index("ix_event_outbox_due", table_name="event_outbox")
    op.drop_table("event_outbox")
