"""Create the payments, payment_events_seen and store_payment_settings tables.

Revision ID: payments_001
Revises:
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "payments_001"
down_revision = None
branch_labels = ("payments",)
depends_on = "orion_001"

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(64), nullable=False),
        sa.Column("gateway", sa.String(32), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("provider_payment_id", sa.String(255), nullable=True),
        sa.Column("provider_capture_id", sa.String(255), nullable=True),
        sa.Column("idempotency_key", sa.String(255), nullable=False),
        sa.Column("refunded_cents", sa.Integer(), nullable=False),
        sa.Column("failure_message", sa.String(500), nullable=False),
        sa.Column("start_data", sa.JSON(), nullable=True),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=True),
        sa.Column("confirmed_at", TS, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_payments"),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.id"], name="fk_payments_store_id_stores", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["confirmed_by_id"],
            ["users.id"],
            name="fk_payments_confirmed_by_id_users",
            ondelete="SET NULL",
        ),
        sa.UniqueConstraint(
            "store_id", "idempotency_key", name="uq_payments_store_id_idempotency_key"
        ),
    )
    op.create_index("ix_payments_store_id", "payments", ["store_id"])
    op.create_index("ix_payments_reference", "payments", ["reference"])
    op.create_index("ix_payments_status", "payments", ["status"])
    op.create_index("ix_payments_provider_payment_id", "payments", ["provider_payment_id"])
    op.create_table(
        "payment_events_seen",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(32), nullable=False),
        sa.Column("event_id", sa.String(255), nullable=False),
        sa.Column("event_type", sa.String(100), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=True),
        sa.Column("payment_id", sa.Integer(), nullable=True),
        sa.Column("received_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_payment_events_seen"),
        sa.ForeignKeyConstraint(
            ["store_id"],
            ["stores.id"],
            name="fk_payment_events_seen_store_id_stores",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["payments.id"],
            name="fk_payment_events_seen_payment_id_payments",
            ondelete="SET NULL",
        ),
        sa.UniqueConstraint(
            "provider", "event_id", name="uq_payment_events_seen_provider_event_id"
        ),
    )
    op.create_table(
        "store_payment_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("gateway", sa.String(32), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_store_payment_settings"),
        sa.ForeignKeyConstraint(
            ["store_id"],
            ["stores.id"],
            name="fk_store_payment_settings_store_id_stores",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "store_id", "gateway", name="uq_store_payment_settings_store_id_gateway"
        ),
    )
    op.create_index(
        "ix_store_payment_settings_store_id", "store_payment_settings", ["store_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_store_payment_settings_store_id", table_name="store_payment_settings")
    op.drop_table("store_payment_settings")
    op.drop_table("payment_events_seen")
    op.drop_index("ix_payments_provider_payment_id", table_name="payments")
    op.drop_index("ix_payments_status", table_name="payments")
    op.drop_index("ix_payments_reference", table_name="payments")
    op.drop_index("ix_payments_store_id", table_name="payments")
    op.drop_table("payments")
