"""What the platform bills stores: its seller details and the subscription invoices it issues."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from orion_server.database import Base, TimestampMixin, UTCDateTime

DEFAULT_VAT_RATE = 17
"""Luxembourg's standard VAT rate in percent, the rate a new platform invoices at."""

DEFAULT_PAYMENT_TERMS_DAYS = 14
"""Days a store has to pay an invoice by bank transfer."""

DEFAULT_GRACE_DAYS = 14
"""Days after an invoice's due date before the store turns read-only for its staff."""


class InvoiceStatus(enum.StrEnum):
    """Where an invoice stands."""

    OPEN = "open"
    PAID = "paid"
    VOID = "void"


class InvoiceKind(enum.StrEnum):
    """Why an invoice was issued."""

    PLAN_CHANGE = "plan_change"
    RENEWAL = "renewal"
    ADD_ON = "add_on"


class PlatformBillingProfile(TimestampMixin, Base):
    """One per platform: the seller printed on its invoices, how stores pay it, and the
    counter that gives invoices their gap-free numbers."""

    __tablename__ = "billing_platform_profiles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform_id: Mapped[int] = mapped_column(
        ForeignKey("platforms.id", ondelete="CASCADE"), unique=True, nullable=False
    )
    seller_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    seller_address: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    seller_vat_number: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    seller_email: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    iban: Mapped[str] = mapped_column(String(34), nullable=False, default="")
    bic: Mapped[str] = mapped_column(String(11), nullable=False, default="")
    vat_rate: Mapped[int] = mapped_column(Integer, nullable=False, default=DEFAULT_VAT_RATE)
    """VAT added to every subscription price, in percent."""
    payment_terms_days: Mapped[int] = mapped_column(
        Integer, nullable=False, default=DEFAULT_PAYMENT_TERMS_DAYS
    )
    grace_days: Mapped[int] = mapped_column(Integer, nullable=False, default=DEFAULT_GRACE_DAYS)
    orders_when_read_only: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    """Whether a read-only store's storefront still takes new orders."""
    invoice_prefix: Mapped[str] = mapped_column(String(12), nullable=False, default="")
    last_invoice_sequence: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    """The sequence of the last invoice issued; the next one takes this plus one."""


class SubscriptionInvoice(Base):
    """An invoice the platform issued to a store for its plan.

    Seller and buyer are copied in at issue time (``seller``, ``buyer``): an invoice never
    changes when the platform or the store later edit their details. ``lines`` hold
    ``{"description", "quantity", "unit_net_cents", "net_cents"}``; prices are net, VAT is
    added once per invoice at ``vat_rate``.
    """

    __tablename__ = "subscription_invoices"
    __table_args__ = (
        UniqueConstraint("platform_id", "sequence"),
        UniqueConstraint("platform_id", "number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id", ondelete="CASCADE"), nullable=False)
    store_id: Mapped[int | None] = mapped_column(ForeignKey("stores.id", ondelete="SET NULL"), index=True)
    sequence: Mapped[int] = mapped_column(Integer, nullable=False)
    number: Mapped[str] = mapped_column(String(30), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default=InvoiceStatus.OPEN.value)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    tier: Mapped[str] = mapped_column(String(20), nullable=False)
    billing_cycle: Mapped[str] = mapped_column(String(10), nullable=False)
    period_start: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    period_end: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    vat_rate: Mapped[int] = mapped_column(Integer, nullable=False)
    net_cents: Mapped[int] = mapped_column(Integer, nullable=False)
    vat_cents: Mapped[int] = mapped_column(Integer, nullable=False)
    total_cents: Mapped[int] = mapped_column(Integer, nullable=False)
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False, default=list)
    seller: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    buyer: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    payment_method: Mapped[str] = mapped_column(String(32), nullable=False, default="")
    """How it was paid (``bank_transfer``, ...); empty while open."""
    payment_note: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    """What the admin noted when marking it paid (the transfer's reference)."""

    def overdue(self, now: datetime) -> bool:
        """Still open after its due date."""
        return self.status == InvoiceStatus.OPEN and self.due_at < now
