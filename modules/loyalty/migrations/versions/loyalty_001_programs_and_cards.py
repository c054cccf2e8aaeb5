"""Create the loyalty programs, rewards, cards, their ledger and the counter PINs.

Revision ID: loyalty_001
Revises:
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "loyalty_001"
down_revision = None
branch_labels = ("loyalty",)
depends_on = "orion_001"

TS = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete)


def upgrade() -> None:
    op.create_table(
        "loyalty_programs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform_id", sa.Integer(), nullable=False),
        sa.Column("merchant_id", sa.Integer(), nullable=True),
        sa.Column("store_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("stamps_enabled", sa.Boolean(), nullable=False),
        sa.Column("stamps_goal", sa.Integer(), nullable=False),
        sa.Column("stamps_per_order", sa.Integer(), nullable=False),
        sa.Column("points_enabled", sa.Boolean(), nullable=False),
        sa.Column("points_per_euro", sa.Integer(), nullable=False),
        sa.Column("point_value_cents", sa.Integer(), nullable=False),
        sa.Column("min_redeem_points", sa.Integer(), nullable=False),
        sa.Column("cooldown_minutes", sa.Integer(), nullable=False),
        sa.Column("daily_stamp_cap", sa.Integer(), nullable=False),
        sa.Column("pin_max_failures", sa.Integer(), nullable=False),
        sa.Column("pin_lock_minutes", sa.Integer(), nullable=False),
        sa.Column("texts", sa.JSON(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_loyalty_programs"),
        _fk("loyalty_programs", "platform_id", "platforms", "CASCADE"),
        _fk("loyalty_programs", "merchant_id", "merchants", "CASCADE"),
        _fk("loyalty_programs", "store_id", "stores", "CASCADE"),
        sa.UniqueConstraint("merchant_id", name="uq_loyalty_programs_merchant_id"),
        sa.UniqueConstraint("store_id", name="uq_loyalty_programs_store_id"),
    )
    op.create_index("ix_loyalty_programs_platform_id", "loyalty_programs", ["platform_id"])
    op.create_table(
        "loyalty_rewards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("currency", sa.String(10), nullable=False),
        sa.Column("cost", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_loyalty_rewards"),
        _fk("loyalty_rewards", "program_id", "loyalty_programs", "CASCADE"),
    )
    op.create_index("ix_loyalty_rewards_program_id", "loyalty_rewards", ["program_id"])
    op.create_table(
        "loyalty_cards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("stamps_balance", sa.Integer(), nullable=False),
        sa.Column("points_balance", sa.Integer(), nullable=False),
        sa.Column("enrolled_by_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_loyalty_cards"),
        _fk("loyalty_cards", "program_id", "loyalty_programs", "CASCADE"),
        _fk("loyalty_cards", "store_id", "stores", "CASCADE"),
        _fk("loyalty_cards", "enrolled_by_user_id", "users", "SET NULL"),
        sa.UniqueConstraint("program_id", "customer_id", name="uq_loyalty_cards_program_id_customer_id"),
        sa.UniqueConstraint("code", name="uq_loyalty_cards_code"),
    )
    op.create_index("ix_loyalty_cards_program_id", "loyalty_cards", ["program_id"])
    op.create_index("ix_loyalty_cards_store_id", "loyalty_cards", ["store_id"])
    op.create_index("ix_loyalty_cards_customer_id", "loyalty_cards", ["customer_id"])
    op.create_table(
        "loyalty_transactions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("card_id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("stamps", sa.Integer(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=True),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("reward_id", sa.Integer(), nullable=True),
        sa.Column("voids_id", sa.Integer(), nullable=True),
        sa.Column("source_key", sa.String(80), nullable=True),
        sa.Column("reason", sa.String(300), nullable=False),
        sa.Column("staff_user_id", sa.Integer(), nullable=True),
        sa.Column("client_address", sa.String(64), nullable=False),
        sa.Column("user_agent", sa.String(300), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_loyalty_transactions"),
        _fk("loyalty_transactions", "program_id", "loyalty_programs", "CASCADE"),
        _fk("loyalty_transactions", "card_id", "loyalty_cards", "CASCADE"),
        _fk("loyalty_transactions", "store_id", "stores", "SET NULL"),
        _fk("loyalty_transactions", "reward_id", "loyalty_rewards", "SET NULL"),
        _fk("loyalty_transactions", "voids_id", "loyalty_transactions", "CASCADE"),
        _fk("loyalty_transactions", "staff_user_id", "users", "SET NULL"),
        sa.UniqueConstraint("program_id", "source_key", name="uq_loyalty_transactions_program_id_source_key"),
        sa.UniqueConstraint("voids_id", name="uq_loyalty_transactions_voids_id"),
    )
    op.create_index("ix_loyalty_transactions_order_id", "loyalty_transactions", ["order_id"])
    op.create_index("ix_loyalty_transactions_card_id_created_at", "loyalty_transactions", ["card_id", "created_at"])
    op.create_index(
        "ix_loyalty_transactions_program_id_created_at", "loyalty_transactions", ["program_id", "created_at"]
    )
    op.create_table(
        "loyalty_staff_pins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("pin_hash", sa.String(255), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", TS, nullable=True),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_loyalty_staff_pins"),
        _fk("loyalty_staff_pins", "program_id", "loyalty_programs", "CASCADE"),
        _fk("loyalty_staff_pins", "user_id", "users", "CASCADE"),
        sa.UniqueConstraint("program_id", "user_id", name="uq_loyalty_staff_pins_program_id_user_id"),
    )
    op.create_index("ix_loyalty_staff_pins_user_id", "loyalty_staff_pins", ["user_id"])


def downgrade() -> None:
    for table in ("loyalty_staff_pins", "loyalty_transactions", "loyalty_cards", "loyalty_rewards", "loyalty_programs"):
        op.drop_table(table)
