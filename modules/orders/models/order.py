"""Orders, their lines (snapshots), status history, staff notes and the per-store number counter.

An order copies everything it shows at the time it is placed (titles, prices, VAT rates, the
customer's name and addresses) so later changes to products or customers never rewrite it; the
customer id is kept as a plain integer (no foreign key) for the customer's order history.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from orion_server.database import Base, TimestampMixin, UTCDateTime, utcnow
from orion_server.money import vat_rows, vat_total


class OrderStatus:
    """The statuses an order goes through (plain strings in the database)."""

    PENDING_PAYMENT = "pending_payment"
    PAID = "paid"
    PROCESSING = "processing"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"

    ALL = (PENDING_PAYMENT, PAID, PROCESSING, SHIPPED, DELIVERED, CANCELLED, REFUNDED)


ORDER_CHANNELS = ("direct", "marketplace", "letzshop")
"""Where an order was taken: the store's own shop, a marketplace, or an outside channel of
``modules.contracts.channel_orders`` (known there by ``external_id``)."""


class OrderNumberCounter(Base):
    """The last order number handed out in a store, moved on in the transaction that inserts the
    order (a rolled-back order gives its number back: numbers have no gaps)."""

    __tablename__ = "order_number_counters"

    store_id: Mapped[int] = mapped_column(
        ForeignKey("stores.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    prefix: Mapped[str] = mapped_column(String(10), nullable=False)
    last_number: Mapped[int] = mapped_column(Integer, default=0, nullable=False)


class Order(TimestampMixin, Base):
    """An order of one store, from any channel; amounts are integer cents, VAT included."""

    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("store_id", "sequence"),
        UniqueConstraint("store_id", "number"),
        # NULL keys never clash: orders without a key are not deduplicated.
        UniqueConstraint("store_id", "idempotency_key"),
        # An outside channel's order comes in once however often its sync runs (NULL ids of
        # the shop's own orders never clash).
        UniqueConstraint("store_id", "channel", "external_id"),
        # The dashboard's list, newest first, all of them or of one status, read in order (no
        # sort of every order of the store to show 25 of them) and counted from the index.
        Index("ix_orders_store_placed", "store_id", "placed_at", "id"),
        Index("ix_orders_store_status_placed", "store_id", "status", "placed_at", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    sequence: Mapped[int] = mapped_column(Integer, nullable=False)
    """The store's gap-free counter value: 1, 2, 3, ..."""
    number: Mapped[str] = mapped_column(String(30), nullable=False)
    """``sequence`` as shown to people, e.g. ``BD-000123``."""
    status: Mapped[str] = mapped_column(String(30), nullable=False, index=True)
    channel: Mapped[str] = mapped_column(String(20), default="direct", nullable=False)
    over_plan_limit: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    """Taken past the monthly order limit of the store's plan: accepted (a shopper's order is
    never lost), flagged so staff see why they are asked to upgrade."""
    external_id: Mapped[str | None] = mapped_column(String(100))
    currency: Mapped[str] = mapped_column(String(3), default="EUR", nullable=False)
    subtotal_cents: Mapped[int] = mapped_column(Integer, nullable=False)
    shipping_cents: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    discount_cents: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    total_cents: Mapped[int] = mapped_column(Integer, nullable=False)
    vat_breakdown: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, nullable=False)
    """``{"17": {"net": ..., "vat": ..., "gross": ...}, ...}`` in cents, keyed by rate."""
    customer_id: Mapped[int | None] = mapped_column(Integer, index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """When the order joined the customer's account: at once when placed signed in; for a guest
    order, once the address owner opened the confirmation link (the shopper's account shows
    claimed orders only; the store sees every order)."""
    customer_email: Mapped[str] = mapped_column(String(255), default="", nullable=False)
    customer_name: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    customer_phone: Mapped[str] = mapped_column(String(50), default="", nullable=False)
    customer_language: Mapped[str] = mapped_column(String(5), default="fr", nullable=False)
    shipping_address: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    billing_address: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    shipping_method_code: Mapped[str] = mapped_column(String(50), default="", nullable=False)
    shipping_method_label: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    payment_method_code: Mapped[str] = mapped_column(String(50), default="", nullable=False)
    idempotency_key: Mapped[str | None] = mapped_column(String(100))
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False, index=True)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    shipped_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    refunded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", cascade="all, delete-orphan", lazy="selectin", order_by="OrderLine.position"
    )
    history: Mapped[list[OrderStatusChange]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderStatusChange.id"
    )
    notes: Mapped[list[OrderNote]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderNote.id"
    )

    @property
    def vat_rows(self) -> list[tuple[str, dict[str, int]]]:
        """The VAT breakdown as ``(rate, {net, vat, gross})`` pairs, highest rate first."""
        return vat_rows(self.vat_breakdown)

    @property
    def vat_cents(self) -> int:
        """All the VAT the total contains."""
        return vat_total(self.vat_breakdown)

    @property
    def item_count(self) -> int:
        """Units ordered, all lines together."""
        return sum(line.quantity for line in self.lines)


class OrderLine(Base):
    """One product line as it was ordered."""

    __tablename__ = "order_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    sku: Mapped[str] = mapped_column(String(100), nullable=False)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, nullable=False)
    quantity: Mapped[int] = mapped_column(Integer, nullable=False)
    unit_price_cents: Mapped[int] = mapped_column(Integer, nullable=False)
    """Price of one unit, VAT included."""
    vat_rate: Mapped[int] = mapped_column(Integer, nullable=False)
    """VAT rate in percent (Luxembourg: 17, 14, 8, 3 or 0)."""
    line_total_cents: Mapped[int] = mapped_column(Integer, nullable=False)
    """``unit_price_cents * quantity``, VAT included."""
    vat_cents: Mapped[int] = mapped_column(Integer, nullable=False)
    """The VAT contained in ``line_total_cents`` (rounded per line)."""

    order: Mapped[Order] = relationship(back_populates="lines")

    @property
    def shown_options(self) -> list[tuple[str, str]]:
        """``(name, value)`` of the options worth printing under the title: an option whose
        value the title already shows in brackets (``Roggenbrot (1 kg)``) is left out; names
        start with a capital (lines ordered before names were stored translated say ``weight``)."""
        return visible_options(self.title, self.options or {})


def visible_options(title: str, options: dict[str, Any]) -> list[tuple[str, str]]:
    """The options of a line titled ``title`` that the title does not show already."""
    shown: set[str] = set()
    match = TITLE_OPTIONS.search(title or "")
    if match:
        shown = {part.strip().casefold() for part in match.group(1).split("/")}
    return [
        (_capitalised(str(name)), str(value))
        for name, value in options.items()
        if str(value).strip().casefold() not in shown
    ]


def _capitalised(name: str) -> str:
    name = name.strip().replace("_", " ")
    return name[:1].upper() + name[1:]


TITLE_OPTIONS = re.compile(r"\(([^()]*)\)\s*$")
"""The bracketed part at the end of a line title: the cart writes ``Title (M / red)``."""


class OrderStatusChange(Base):
    """One step of an order's life: from which status to which, who did it, when and why."""

    __tablename__ = "order_status_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(30))
    """None for the order's creation."""
    to_status: Mapped[str] = mapped_column(String(30), nullable=False)
    actor: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    """Who made the change, as shown: a staff e-mail, ``customer``, ``system``, a gateway."""
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="", nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    order: Mapped[Order] = relationship(back_populates="history")


class OrderNote(Base):
    """A note staff keep on an order (never shown to the customer)."""

    __tablename__ = "order_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    author: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    author_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    order: Mapped[Order] = relationship(back_populates="notes")
