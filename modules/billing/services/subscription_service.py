"""Store subscriptions: the free trial every store starts with, and the tier it is on."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from modules.billing.config import config as billing_config
from modules.billing.models import StoreSubscription, SubscriptionStatus, TierCode
from orion_server.database import begin_write, utcnow
from orion_server.errors import NotFoundError, ValidationError
from orion_server.models import Store


def begin_billing_write(db: Session) -> None:
    """Start a writer's transaction even when the request's session has already read.

    ``begin_write`` does nothing inside an open transaction, and request sessions have always
    read something (the signed-in user, the membership) before a service runs; a SQLite reader
    that later writes can fail with "database is locked" when another writer got in between.
    A session without pending changes can simply end its read and start again as a writer.
    """
    if db.in_transaction() and not (db.new or db.dirty or db.deleted):
        db.rollback()
    begin_write(db)


class SubscriptionService:
    """Business rules of store subscriptions."""

    def get_subscription(self, db: Session, *, store_id: int) -> StoreSubscription | None:
        """The store's subscription, or None before its first visit to billing."""
        return db.scalar(select(StoreSubscription).where(StoreSubscription.store_id == store_id))

    def get_or_start_trial(
        self, db: Session, *, store_id: int, now: datetime | None = None
    ) -> StoreSubscription:
        """The store's subscription; the first call starts the free trial (BILLING_TRIAL_DAYS)."""
        existing = self.get_subscription(db, store_id=store_id)
        if existing is not None:
            return existing
        begin_billing_write(db)
        existing = self.get_subscription(db, store_id=store_id)
        if existing is not None:
            db.commit()
            return existing
        if db.get(Store, store_id) is None:
            raise NotFoundError(f"no store {store_id}")
        now = now or utcnow()
        subscription = StoreSubscription(
            store_id=store_id,
            tier=TierCode(billing_config.trial_tier).value,
            status=SubscriptionStatus.TRIALING.value,
            started_at=now,
            trial_ends_at=now + timedelta(days=billing_config.trial_days),
        )
        db.add(subscription)
        try:
            db.commit()
        except IntegrityError:  # another request started it at the same moment
            db.rollback()
            existing = self.get_subscription(db, store_id=store_id)
            if existing is None:
                raise
            return existing
        return subscription

    def activate(
        self, db: Session, *, store_id: int, tier: str, now: datetime | None = None
    ) -> StoreSubscription:
        """Put the store on ``tier`` as a running (paid) subscription."""
        try:
            code = TierCode((tier or "").strip().lower())
        except ValueError:
            choices = ", ".join(t.value for t in TierCode)
            raise ValidationError(f"choose one of {choices}", field="tier") from None
        self.get_or_start_trial(db, store_id=store_id, now=now)
        begin_billing_write(db)
        subscription = self.get_subscription(db, store_id=store_id)
        if subscription is None:
            raise NotFoundError(f"no subscription for store {store_id}")
        subscription.tier = code.value
        subscription.status = SubscriptionStatus.ACTIVE.value
        subscription.trial_ends_at = None
        subscription.started_at = now or utcnow()
        db.commit()
        return subscription


subscription_service = SubscriptionService()
