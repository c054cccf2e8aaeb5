"""Carts (one per shopper and store, found by the hash of the cookie's token) and their lines."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from orion_server.database import Base, TimestampMixin, UTCDateTime

CART_STATUSES = ("open", "converted", "abandoned")


class Cart(TimestampMixin, Base):
    """A shopper's cart at one store; only open carts keep their ``token_hash``."""

    __tablename__ = "carts"
    __table_args__ = (
        Index("ix_carts_store_customer", "store_id", "customer_id"),
        Index("ix_carts_status_expires", "status", "expires_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    customer_id: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="open", nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)

    lines: Mapped[list[CartLine]] = relationship(
        back_populates="cart",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="CartLine.id",
    )


class CartLine(TimestampMixin, Base):
    """Units of one SKU in a cart, with the price and title seen when they were last checked."""

    __tablename__ = "cart_lines"
    __table_args__ = (UniqueConstraint("cart_id", "sku"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cart_id: Mapped[int] = mapped_column(ForeignKey("carts.id", ondelete="CASCADE"), index=True)
    sku: Mapped[str] = mapped_column(String(64), nullable=False)
    quantity: Mapped[int] = mapped_column(Integer, nullable=False)
    unit_price_cents: Mapped[int] = mapped_column(Integer, nullable=False)
    title: Mapped[str] = mapped_column(String(300), nullable=False)

    cart: Mapped[Cart] = relationship(back_populates="lines")

    @property
    def total_cents(self) -> int:
        """Quantity times the unit price."""
        return self.quantity * self.unit_price_cents
