"""Stock per store, SKU and location; the movement ledger; reservations held for orders.

Inventory knows products only by their SKU (a string): the catalog module asks for stock by
SKU, inventory never imports it.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from orion_server.database import Base, TimestampMixin, UTCDateTime, utcnow


class MovementReason(enum.StrEnum):
    """Why stock changed."""

    RECEIPT = "receipt"
    ADJUSTMENT = "adjustment"
    SALE = "sale"
    RETURN = "return"
    CORRECTION = "correction"


class ReservationStatus(enum.StrEnum):
    """A reservation is held until the order is paid (committed) or cancelled (released)."""

    HELD = "held"
    COMMITTED = "committed"
    RELEASED = "released"


class StockLocation(TimestampMixin, Base):
    """A place a store keeps stock (a warehouse, a shop floor); ``main`` is made on demand."""

    __tablename__ = "stock_locations"
    __table_args__ = (UniqueConstraint("store_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(50), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)


class StockItem(TimestampMixin, Base):
    """The stock of one SKU at one location of a store.

    ``on_hand`` always equals the sum of the item's movements; ``reserved`` units are held for
    orders being placed, so ``on_hand - reserved`` is what can still be sold. Digital and
    service items are ``is_unlimited``: they never run out and keep no level.
    """

    __tablename__ = "stock_items"
    __table_args__ = (
        UniqueConstraint("store_id", "sku", "location_id"),
        CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),
        CheckConstraint("reserved >= 0 AND reserved <= on_hand", name="reserved_within_on_hand"),
        Index("ix_stock_items_store_id_sku", "store_id", "sku"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), nullable=False)
    sku: Mapped[str] = mapped_column(String(100), nullable=False)
    location_id: Mapped[int] = mapped_column(
        ForeignKey("stock_locations.id", ondelete="CASCADE"), index=True
    )
    on_hand: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    reserved: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    low_stock_threshold: Mapped[int | None] = mapped_column(Integer)
    is_unlimited: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    low_stock_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """When the available quantity last fell to or below the threshold (None: not low)."""

    location: Mapped[StockLocation] = relationship(lazy="joined")

    @property
    def available(self) -> int | None:
        """Units that can still be sold; None for unlimited items."""
        return None if self.is_unlimited else self.on_hand - self.reserved

    @property
    def is_low(self) -> bool:
        """Whether the available quantity is at or below the threshold."""
        return (
            not self.is_unlimited
            and self.low_stock_threshold is not None
            and self.on_hand - self.reserved <= self.low_stock_threshold
        )


class StockMovement(Base):
    """One line of the ledger: a change of an item's ``on_hand``, never edited."""

    __tablename__ = "stock_movements"
    __table_args__ = (CheckConstraint("quantity <> 0", name="quantity_not_zero"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("stock_items.id", ondelete="CASCADE"), index=True)
    quantity: Mapped[int] = mapped_column(Integer, nullable=False)
    """The change: positive adds stock, negative removes it."""
    reason: Mapped[str] = mapped_column(String(20), nullable=False)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_label: Mapped[str | None] = mapped_column(String(255))
    reference: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


class StockReservation(TimestampMixin, Base):
    """Units of one item held under a reference (an idempotency key or an order number)."""

    __tablename__ = "stock_reservations"
    __table_args__ = (
        UniqueConstraint("item_id", "reference"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("stock_items.id", ondelete="CASCADE"), nullable=False)
    quantity: Mapped[int] = mapped_column(Integer, nullable=False)
    reference: Mapped[str] = mapped_column(String(100), nullable=False, index=True)
    status: Mapped[str] = mapped_column(String(20), default=ReservationStatus.HELD, nullable=False)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
