"""A provider event is "seen" per store: Stripe and PayPal send each event to every endpoint of
an account, so two stores sharing an account each handle it once.

Revision ID: payments_003
Revises: payments_002
Create Date: 2026-12-06
"""

from alembic import op

revision = "payments_003"
down_revision = "payments_002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("payment_events_seen") as batch:
        batch.drop_constraint("uq_payment_events_seen_provider_event_id", type_="unique")
        batch.create_unique_constraint(
            "uq_payment_events_seen_store_id_provider_event_id", ["store_id", "provider", "event_id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("payment_events_seen") as batch:
        batch.drop_constraint("uq_payment_events_seen_store_id_provider_event_id", type_="unique")
        batch.create_unique_constraint("uq_payment_events_seen_provider_event_id", ["provider", "event_id"])
