"""Each store's shipping settings for checkout (a store without a row gets the defaults)."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from orion_server.database import Base, TimestampMixin


class CheckoutSettings(TimestampMixin, Base):
    """Which shipping methods a store offers and what delivery costs (cents, VAT included)."""

    __tablename__ = "checkout_settings"

    store_id: Mapped[int] = mapped_column(
        ForeignKey("stores.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    pickup_enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    delivery_enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    delivery_price_cents: Mapped[int] = mapped_column(Integer, nullable=False, default=590)
    free_delivery_above_cents: Mapped[int | None] = mapped_column(Integer)
    """Orders whose subtotal reaches this are delivered free; None: never free."""
    shipping_vat_rate: Mapped[int] = mapped_column(Integer, nullable=False, default=17)
    """VAT rate of delivery in percent."""
