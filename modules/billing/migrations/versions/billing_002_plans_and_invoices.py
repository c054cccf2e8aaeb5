"""Stores choose their plan: a subscription gets its billing cycle, its paid period and a
downgrade scheduled for the period's end; the platform gets its seller details, its terms
(payment days, grace days, orders while a store is read-only) and the invoices it issues,
numbered without gaps per platform.

Subscriptions running before this revision stay monthly with no paid period yet.

Revision ID: billing_002
Revises: billing_001
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "billing_002"
down_revision = "billing_001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("store_subscriptions") as batch:
        batch.add_column(sa.Column("billing_cycle", sa.String(10), nullable=False, server_default="monthly"))
        batch.add_column(sa.Column("period_start", TS, nullable=True))
        batch.add_column(sa.Column("period_end", TS, nullable=True))
        batch.add_column(sa.Column("scheduled_tier", sa.String(20), nullable=True))
        batch.add_column(sa.Column("scheduled_cycle", sa.String(10), nullable=True))
    op.create_table(
        "billing_platform_profiles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform_id", sa.Integer(), nullable=False),
        sa.Column("seller_name", sa.String(200), nullable=False),
        sa.Column("seller_address", sa.String(500), nullable=False),
        sa.Column("seller_vat_number", sa.String(20), nullable=False),
        sa.Column("seller_email", sa.String(255), nullable=False),
        sa.Column("iban", sa.String(34), nullable=False),
        sa.Column("bic", sa.String(11), nullable=False),
        sa.Column("vat_rate", sa.Integer(), nullable=False),
        sa.Column("payment_terms_days", sa.Integer(), nullable=False),
        sa.Column("grace_days", sa.Integer(), nullable=False),
        sa.Column("orders_when_read_only", sa.Boolean(), nullable=False),
        sa.Column("invoice_prefix", sa.String(12), nullable=False),
        sa.Column("last_invoice_sequence", sa.Integer(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_billing_platform_profiles"),
        sa.ForeignKeyConstraint(
            ["platform_id"],
            ["platforms.id"],
            name="fk_billing_platform_profiles_platform_id_platforms",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("platform_id", name="uq_billing_platform_profiles_platform_id"),
    )
    op.create_table(
        "subscription_invoices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform_id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=True),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(30), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("issued_at", TS, nullable=False),
        sa.Column("due_at", TS, nullable=False),
        sa.Column("paid_at", TS, nullable=True),
        sa.Column("tier", sa.String(20), nullable=False),
        sa.Column("billing_cycle", sa.String(10), nullable=False),
        sa.Column("period_start", TS, nullable=False),
        sa.Column("period_end", TS, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("vat_rate", sa.Integer(), nullable=False),
        sa.Column("net_cents", sa.Integer(), nullable=False),
        sa.Column("vat_cents", sa.Integer(), nullable=False),
        sa.Column("total_cents", sa.Integer(), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("seller", sa.JSON(), nullable=False),
        sa.Column("buyer", sa.JSON(), nullable=False),
        sa.Column("payment_method", sa.String(32), nullable=False),
        sa.Column("payment_note", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_subscription_invoices"),
        sa.ForeignKeyConstraint(
            ["platform_id"],
            ["platforms.id"],
            name="fk_subscription_invoices_platform_id_platforms",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["store_id"],
            ["stores.id"],
            name="fk_subscription_invoices_store_id_stores",
            ondelete="SET NULL",
        ),
        sa.UniqueConstraint("platform_id", "sequence", name="uq_subscription_invoices_platform_id_sequence"),
        sa.UniqueConstraint("platform_id", "number", name="uq_subscription_invoices_platform_id_number"),
    )
    op.create_index("ix_subscription_invoices_store_id", "subscription_invoices", ["store_id"])


def downgrade() -> None:
    op.drop_index("ix_subscription_invoices_store_id", table_name="subscription_invoices")
    op.drop_table("subscription_invoices")
    op.drop_table("billing_platform_profiles")
    with op.batch_alter_table("store_subscriptions") as batch:
        for column in ("scheduled_cycle", "scheduled_tier", "period_end", "period_start", "billing_cycle"):
            batch.drop_column(column)
