"""A store's subscription: its tier and where it stands (trial, active, cancelled)."""

from __future__ import annotations

import enum
import math
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from orion_server.database import Base, TimestampMixin, UTCDateTime


class SubscriptionStatus(enum.StrEnum):
    """Where a subscription stands."""

    TRIALING = "trialing"
    ACTIVE = "active"
    PAST_DUE = "past_due"
    """An invoice is overdue: the grace period runs, everything still works."""
    READ_ONLY = "read_only"
    """The grace period ran out: staff can read and pay, not change the store."""
    CANCELLED = "cancelled"


class BillingCycle(enum.StrEnum):
    """How often a paid plan is invoiced."""

    MONTHLY = "monthly"
    ANNUAL = "annual"


class StoreSubscription(TimestampMixin, Base):
    """One per store: the tier it is on and since when."""

    __tablename__ = "store_subscriptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    store_id: Mapped[int] = mapped_column(
        ForeignKey("stores.id", ondelete="CASCADE"), unique=True, nullable=False
    )
    tier: Mapped[str] = mapped_column(String(20), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    trial_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    billing_cycle: Mapped[str] = mapped_column(String(10), nullable=False, default=BillingCycle.MONTHLY.value)
    period_start: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """Start of the paid period running now (None during the trial)."""
    period_end: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """When the paid period ends and the next one is invoiced."""
    scheduled_tier: Mapped[str | None] = mapped_column(String(20))
    """A downgrade chosen by the store, applied when the period ends."""
    scheduled_cycle: Mapped[str | None] = mapped_column(String(10))
    """The cycle of the scheduled change."""

    def trial_days_left(self, now: datetime) -> int:
        """Whole days (rounded up) until the trial ends; 0 when it is over or not a trial."""
        if self.status != SubscriptionStatus.TRIALING or self.trial_ends_at is None:
            return 0
        seconds = (self.trial_ends_at - now).total_seconds()
        return max(0, math.ceil(seconds / 86_400))

    def paid_period_running(self, now: datetime) -> bool:
        """A paid plan whose current period has not ended (past due and read-only still count:
        the period runs, it is unpaid)."""
        return (
            self.status in (SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE, SubscriptionStatus.READ_ONLY)
            and self.period_start is not None
            and self.period_end is not None
            and self.period_end > now
        )

    def trial_expired(self, now: datetime) -> bool:
        """A trial whose end has passed."""
        return (
            self.status == SubscriptionStatus.TRIALING
            and self.trial_ends_at is not None
            and self.trial_ends_at <= now
        )
