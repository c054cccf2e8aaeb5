"""Loyalty cards, their ledger of transactions, and the staff PINs that guard the counter."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from orion_server.database import Base, UTCDateTime, utcnow


class LoyaltyCard(Base):
    """A customer's card in a program: a code for the counter (and its QR code) and balances
    that always equal the sum of the card's transactions (kept in the same write)."""

    __tablename__ = "loyalty_cards"
    __table_args__ = (UniqueConstraint("program_id", "customer_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("loyalty_programs.id", ondelete="CASCADE"), index=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    """The store the customer's account belongs to."""
    customer_id: Mapped[int] = mapped_column(Integer, nullable=False, index=True)
    """The customer (of the customers module, reached through its contract)."""
    code: Mapped[str] = mapped_column(String(20), unique=True, nullable=False)
    stamps_balance: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    points_balance: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    enrolled_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    """The staff member who enrolled the customer at the counter; None when they joined online."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    """Last change of a balance (wallet passes are re-issued after it)."""


class LoyaltyTransaction(Base):
    """One line of a card's ledger. Never edited: a mistake is voided by a later line
    (``voids_id``) that takes the same amounts back."""

    __tablename__ = "loyalty_transactions"
    __table_args__ = (
        UniqueConstraint("program_id", "source_key"),
        UniqueConstraint("voids_id"),
        Index("ix_loyalty_transactions_card_id_created_at", "card_id", "created_at"),
        Index("ix_loyalty_transactions_program_id_created_at", "program_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("loyalty_programs.id", ondelete="CASCADE"), nullable=False)
    card_id: Mapped[int] = mapped_column(ForeignKey("loyalty_cards.id", ondelete="CASCADE"), nullable=False)
    store_id: Mapped[int | None] = mapped_column(ForeignKey("stores.id", ondelete="SET NULL"))
    """The store where it happened."""
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    """``stamp``, ``points``, ``order``, ``order_reversal``, ``redeem``, ``discount``,
    ``adjustment`` or ``void``."""
    stamps: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    points: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    amount_cents: Mapped[int | None] = mapped_column(Integer)
    """The purchase the points were earned for, or the discount they paid."""
    order_id: Mapped[int | None] = mapped_column(Integer, index=True)
    reward_id: Mapped[int | None] = mapped_column(ForeignKey("loyalty_rewards.id", ondelete="SET NULL"))
    voids_id: Mapped[int | None] = mapped_column(ForeignKey("loyalty_transactions.id", ondelete="CASCADE"))
    source_key: Mapped[str | None] = mapped_column(String(80))
    """What it was made for, once only (``order:12:earn``, a checkout's key)."""
    reason: Mapped[str] = mapped_column(String(300), default="", nullable=False)
    staff_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    client_address: Mapped[str] = mapped_column(String(64), default="", nullable=False)
    user_agent: Mapped[str] = mapped_column(String(300), default="", nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


class LoyaltyStaffPin(Base):
    """A staff member's counter PIN in a program (argon2id hash) and its lockout."""

    __tablename__ = "loyalty_staff_pins"
    __table_args__ = (UniqueConstraint("program_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("loyalty_programs.id", ondelete="CASCADE"), nullable=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    pin_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    failures: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
