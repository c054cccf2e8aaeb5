"""Payments, the provider events already handled, and each store's gateway settings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from modules.contracts.payment_gateway import PaymentStart
from orion_server.database import Base, TimestampMixin, UTCDateTime

PAYMENT_STATUSES = ("created", "pending", "succeeded", "failed", "cancelled", "refunded")


class Payment(TimestampMixin, Base):
    """One attempt to collect an amount for a reference (an order number) through a gateway.

    ``created`` until the provider knows it, ``pending`` while the payer (or staff, offline)
    has to act, then ``succeeded``, ``failed`` or ``cancelled``; a succeeded payment refunded
    in full becomes ``refunded``. ``idempotency_key`` is unique per store: starting again with
    the same key returns this payment.
    """

    __tablename__ = "payments"
    __table_args__ = (UniqueConstraint("store_id", "idempotency_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    platform_id: Mapped[int | None] = mapped_column(ForeignKey("platforms.id", ondelete="CASCADE"), index=True)
    """Set when the store pays the *platform* (a subscription invoice) through the platform's own
    account; None for a shopper paying the store. The store's payment pages and webhooks see
    only payments without it."""
    reference: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    gateway: Mapped[str] = mapped_column(String(32), nullable=False)
    amount_cents: Mapped[int] = mapped_column(Integer, nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False, default="EUR")
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="created", index=True)
    provider_payment_id: Mapped[str | None] = mapped_column(String(255), index=True)
    provider_capture_id: Mapped[str | None] = mapped_column(String(255))
    idempotency_key: Mapped[str] = mapped_column(String(255), nullable=False)
    refunded_cents: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    failure_message: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    start_data: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def purpose(self) -> str:
        """``subscription`` for a payment to the platform, ``order`` for one to the store."""
        return "subscription" if self.platform_id is not None else "order"

    @property
    def next_step(self) -> PaymentStart | None:
        """What the payer does next (None until the provider answered)."""
        return PaymentStart.from_dict(self.start_data) if self.start_data else None

    @property
    def refundable_cents(self) -> int:
        """What can still be refunded."""
        return self.amount_cents - self.refunded_cents if self.status == "succeeded" else 0


class PaymentEventSeen(Base):
    """A provider event already handled for a store: a replayed webhook finds its id here and
    changes nothing. Per store, because providers send each event to every endpoint of an
    account, and stores may share one."""

    __tablename__ = "payment_events_seen"
    __table_args__ = (UniqueConstraint("store_id", "provider", "event_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provider: Mapped[str] = mapped_column(String(32), nullable=False)
    event_id: Mapped[str] = mapped_column(String(255), nullable=False)
    event_type: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    store_id: Mapped[int | None] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id", ondelete="SET NULL"))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)


class StorePaymentSettings(TimestampMixin, Base):
    """A store's configuration of one gateway; ``settings`` holds its keys, the secret ones
    encrypted (``fernet:v1:…``, see settings_service), which pages never show (they say a secret
    is set, nothing more)."""

    __tablename__ = "store_payment_settings"
    __table_args__ = (UniqueConstraint("store_id", "gateway"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    gateway: Mapped[str] = mapped_column(String(32), nullable=False)
    enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)

    def __repr__(self) -> str:  # never the settings: they hold secrets
        return f"<StorePaymentSettings store={self.store_id} gateway={self.gateway} enabled={self.enabled}>"


class PlatformPaymentSettings(TimestampMixin, Base):
    """A platform's own account at a card gateway (Stripe), through which its stores pay their
    subscription invoices; ``settings`` as in ``StorePaymentSettings``, secrets encrypted."""

    __tablename__ = "platform_payment_settings"
    __table_args__ = (UniqueConstraint("platform_id", "gateway"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id", ondelete="CASCADE"), index=True)
    gateway: Mapped[str] = mapped_column(String(32), nullable=False)
    enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)

    def __repr__(self) -> str:  # never the settings: they hold secrets
        return f"<PlatformPaymentSettings platform={self.platform_id} gateway={self.gateway} enabled={self.enabled}>"
