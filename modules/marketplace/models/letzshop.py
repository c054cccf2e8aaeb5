"""A store's Letzshop connection, the Letzshop orders brought in with their inventory units,
and the history of the order syncs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from orion_server.database import Base, TimestampMixin, UTCDateTime


class LetzshopConnection(TimestampMixin, Base):
    """Where a store's Letzshop GraphQL API answers and its bearer key, sealed with the
    installation's key (``orion_server.secrets_box``): never shown back, only its last four
    characters."""

    __tablename__ = "marketplace_letzshop_connections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    store_id: Mapped[int] = mapped_column(
        ForeignKey("stores.id", ondelete="CASCADE"), unique=True, nullable=False
    )
    endpoint: Mapped[str] = mapped_column(String(500), nullable=False)
    api_key: Mapped[str] = mapped_column(Text, nullable=False)
    """``fernet:v1:…``."""
    key_hint: Mapped[str] = mapped_column(String(8), default="", nullable=False)
    """The key's last four characters, to tell which key is set."""


class LetzshopOrder(TimestampMixin, Base):
    """A Letzshop order brought in: its ids there, the store's order it became, its shipment's
    state and tracking (kept here as well as sent)."""

    __tablename__ = "marketplace_letzshop_orders"
    __table_args__ = (
        UniqueConstraint("store_id", "external_id"),
        Index("ix_marketplace_letzshop_orders_store_id_placed_at", "store_id", "placed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), nullable=False)
    external_id: Mapped[str] = mapped_column(String(100), nullable=False)
    """Letzshop's id of the order."""
    letzshop_number: Mapped[str] = mapped_column(String(100), default="", nullable=False)
    shipment_id: Mapped[str] = mapped_column(String(100), default="", nullable=False)
    order_id: Mapped[int] = mapped_column(Integer, nullable=False)
    """The store's order (orders module), by id: no foreign key across modules."""
    order_number: Mapped[str] = mapped_column(String(30), default="", nullable=False)
    state: Mapped[str] = mapped_column(String(20), default="unconfirmed", nullable=False)
    """``unconfirmed``, ``confirmed`` (at least one unit available), ``declined`` (none) or
    ``shipped``."""
    customer_name: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    total_cents: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    tracking_code: Mapped[str] = mapped_column(String(100), default="", nullable=False)
    tracking_provider: Mapped[str] = mapped_column(String(50), default="", nullable=False)
    shipped_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    units: Mapped[list[LetzshopUnit]] = relationship(
        back_populates="order", cascade="all, delete-orphan", lazy="selectin", order_by="LetzshopUnit.position"
    )


class LetzshopUnit(Base):
    """One inventory unit (one piece) of a Letzshop order and what staff said of it."""

    __tablename__ = "marketplace_letzshop_units"
    __table_args__ = (UniqueConstraint("letzshop_order_id", "unit_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    letzshop_order_id: Mapped[int] = mapped_column(
        # the conventional name would pass PostgreSQL's 63 characters
        ForeignKey("marketplace_letzshop_orders.id", ondelete="CASCADE", name="fk_marketplace_letzshop_units_order"),
        index=True, nullable=False
    )
    unit_id: Mapped[str] = mapped_column(String(100), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    sku: Mapped[str] = mapped_column(String(100), nullable=False)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    unit_price_cents: Mapped[int] = mapped_column(Integer, nullable=False)
    state: Mapped[str] = mapped_column(String(30), default="unconfirmed", nullable=False)
    """``unconfirmed``, ``confirmed_available``, ``confirmed_unavailable`` or ``returned``."""
    reserved: Mapped[bool] = mapped_column(default=False, nullable=False)
    """Whether a unit of the store's stock is held for it (False: none was free)."""

    order: Mapped[LetzshopOrder] = relationship(back_populates="units")


class LetzshopSync(Base):
    """One run of the order sync: when, how many orders Letzshop listed and how many were new,
    and what went wrong."""

    __tablename__ = "marketplace_letzshop_syncs"
    __table_args__ = (Index("ix_marketplace_letzshop_syncs_store_id_started_at", "store_id", "started_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), nullable=False)
    trigger: Mapped[str] = mapped_column(String(20), default="schedule", nullable=False)
    """``schedule`` or ``manual``."""
    status: Mapped[str] = mapped_column(String(20), default="running", nullable=False)
    """``running``, ``done`` or ``failed``."""
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    orders_fetched: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    orders_created: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    error_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    error: Mapped[str] = mapped_column(Text, default="", nullable=False)
    """What went wrong, in English for the log and the page (Letzshop's own messages)."""
