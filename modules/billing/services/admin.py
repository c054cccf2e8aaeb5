"""What platform admins do with subscriptions: see every store's plan and what it owes, extend
a trial, put a store on a plan by hand; each change audited. (Payments received are recorded
through ``standing_service.record_payment``.)"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from modules.billing.exceptions import BillingInputError, Problem
from modules.billing.models import (
    InvoiceStatus,
    StoreSubscription,
    SubscriptionInvoice,
    SubscriptionStatus,
)
from modules.billing.services.periods import period_end
from modules.billing.services.plans import plan_choice
from modules.billing.services.subscription_service import begin_billing_write, subscription_service
from orion_server import audit
from orion_server.database import utcnow
from orion_server.errors import NotFoundError
from orion_server.models import Store, User
from orion_server.pagination import Page, clamp_page

STORES_PER_PAGE = 25
MAX_TRIAL_EXTENSION = 90


@dataclass(frozen=True)
class SubscriptionRow:
    """One store of the platform with its subscription (None before its first billing visit)
    and what it owes."""

    store: Store
    subscription: StoreSubscription | None
    open_invoices: int
    open_cents: int
    overdue: bool


class BillingAdminService:
    """Subscriptions as a platform admin manages them."""

    def subscriptions(self, db: Session, *, platform_id: int, page: int = 1, now: datetime | None = None
                      ) -> Page[SubscriptionRow]:
        """The platform's stores by name with their subscriptions and open invoices."""
        now = now or utcnow()
        total = db.scalar(select(func.count(Store.id)).where(Store.platform_id == platform_id)) or 0
        page = clamp_page(page, total, STORES_PER_PAGE)
        owed = (
            select(
                SubscriptionInvoice.store_id,
                func.count(SubscriptionInvoice.id).label("count"),
                func.sum(SubscriptionInvoice.total_cents).label("cents"),
                func.min(SubscriptionInvoice.due_at).label("due"),
            )
            .where(SubscriptionInvoice.platform_id == platform_id, SubscriptionInvoice.status == InvoiceStatus.OPEN.value)
            .group_by(SubscriptionInvoice.store_id)
            .subquery()
        )
        rows = db.execute(
            select(Store, StoreSubscription, owed.c.count, owed.c.cents, owed.c.due)
            .outerjoin(StoreSubscription, StoreSubscription.store_id == Store.id)
            .outerjoin(owed, owed.c.store_id == Store.id)
            .where(Store.platform_id == platform_id)
            .order_by(Store.name, Store.code)
            .offset((page - 1) * STORES_PER_PAGE)
            .limit(STORES_PER_PAGE)
        ).all()
        items = [
            SubscriptionRow(store=store, subscription=sub, open_invoices=count or 0, open_cents=cents or 0,
                            overdue=due is not None and due < now)
            for store, sub, count, cents, due in rows
        ]
        return Page(items, total, page, STORES_PER_PAGE)

    def store_of_platform(self, db: Session, *, platform_id: int, code: str) -> Store:
        """One store of the platform by code; NotFoundError for any other."""
        store = db.scalar(select(Store).where(Store.platform_id == platform_id, Store.code == code))
        if store is None:
            raise NotFoundError(f"no store {code}")
        return store

    def invoices(self, db: Session, *, store_id: int) -> list[SubscriptionInvoice]:
        """Every invoice of the store, newest first."""
        return list(db.scalars(select(SubscriptionInvoice).where(SubscriptionInvoice.store_id == store_id)
                               .order_by(SubscriptionInvoice.sequence.desc())))

    def extend_trial(self, db: Session, *, store_id: int, days: str | int, actor: User | None = None,
                     now: datetime | None = None) -> StoreSubscription:
        """Give a store on its free trial ``days`` more (1-90), counted from its end or from
        today when it has already ended; audited."""
        now = now or utcnow()
        try:
            extra = int(str(days).strip())
        except ValueError:
            extra = 0
        if not 1 <= extra <= MAX_TRIAL_EXTENSION:
            raise BillingInputError([Problem("days", "billing.errors.whole_number", {"min": 1, "max": MAX_TRIAL_EXTENSION})])
        subscription_service.get_or_start_trial(db, store_id=store_id, now=now)
        begin_billing_write(db)
        subscription = subscription_service.get_subscription(db, store_id=store_id)
        if subscription.status != SubscriptionStatus.TRIALING:
            db.rollback()
            raise BillingInputError([Problem("days", "billing.errors.not_trialing")])
        before = subscription.trial_ends_at
        subscription.trial_ends_at = max(before or now, now) + timedelta(days=extra)
        store = db.get(Store, store_id)
        audit.record(db, "billing.trial.extend", target=f"store:{store.code}", actor=actor,
                     platform_id=store.platform_id, store_id=store_id, days=extra,
                     before=before.isoformat() if before else None, after=subscription.trial_ends_at.isoformat())
        db.commit()
        return subscription

    def set_plan(self, db: Session, *, store_id: int, tier: str, cycle: str, actor: User | None = None,
                 now: datetime | None = None) -> StoreSubscription:
        """Put a store on a plan by hand (a deal agreed outside Orion, a correction): at once,
        without an invoice; a new period starts today unless one is running. Audited."""
        now = now or utcnow()
        code, billing = plan_choice(tier, cycle, self_serve=False)
        subscription_service.get_or_start_trial(db, store_id=store_id, now=now)
        begin_billing_write(db)
        subscription = subscription_service.get_subscription(db, store_id=store_id)
        before = {"tier": subscription.tier, "cycle": subscription.billing_cycle, "status": subscription.status}
        running = subscription.period_end is not None and subscription.period_end > now
        if not running or billing.value != subscription.billing_cycle:
            subscription.period_start = now
            subscription.period_end = period_end(now, billing)
        subscription.tier = code.value
        subscription.billing_cycle = billing.value
        if subscription.status in (SubscriptionStatus.TRIALING, SubscriptionStatus.CANCELLED):
            subscription.status = SubscriptionStatus.ACTIVE.value
            subscription.started_at = now
        subscription.trial_ends_at = None
        subscription.scheduled_tier = None
        subscription.scheduled_cycle = None
        store = db.get(Store, store_id)
        audit.record(db, "billing.plan.set", target=f"store:{store.code}", actor=actor,
                     platform_id=store.platform_id, store_id=store_id, before=before,
                     after={"tier": code.value, "cycle": billing.value, "status": subscription.status})
        db.commit()
        return subscription


billing_admin_service = BillingAdminService()
