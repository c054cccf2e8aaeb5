"""Links that prove a customer owns an address: guest orders join the account, and an e-mail
change takes effect, only once the link sent there is opened.

Revision ID: customers_002
Revises: customers_001
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "customers_002"
down_revision = "customers_001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "customer_email_confirmations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(20), nullable=False),
        sa.Column("email", sa.String(255), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("used_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_customer_email_confirmations"),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], ondelete="CASCADE",
                                name="fk_customer_email_confirmations_customer_id_customers"),
        sa.UniqueConstraint("token_hash", name="uq_customer_email_confirmations_token_hash"),
    )
    op.create_index("ix_customer_email_confirmations_customer_id", "customer_email_confirmations", ["customer_id"])


def downgrade() -> None:
    op.drop_table("customer_email_confirmations")
