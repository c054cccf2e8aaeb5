"""A store's standing with its platform: an invoice unpaid after its due date starts a grace
period (``past_due``, everything still works), after which the store is read-only for its
staff (``read_only``) until the invoice is paid. Each step is told to the store's owners by
e-mail and to its staff on the dashboard.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from modules.billing.exceptions import BillingInputError, Problem
from modules.billing.models import (
    InvoiceStatus,
    StoreSubscription,
    SubscriptionInvoice,
    SubscriptionStatus,
)
from modules.billing.services.invoicing import invoicing_service
from modules.billing.services.notices import announce
from modules.billing.services.subscription_service import begin_billing_write
from modules.contracts.store_standing import GOOD_STANDING, StoreStanding
from orion_server import audit
from orion_server.database import utcnow
from orion_server.errors import NotFoundError
from orion_server.models import Store, User

PAID_STATES = (SubscriptionStatus.ACTIVE.value, SubscriptionStatus.PAST_DUE.value, SubscriptionStatus.READ_ONLY.value)


def _oldest_overdue(db: Session, store_id: int, now: datetime) -> SubscriptionInvoice | None:
    return db.scalar(
        select(SubscriptionInvoice).where(
            SubscriptionInvoice.store_id == store_id,
            SubscriptionInvoice.status == InvoiceStatus.OPEN.value,
            SubscriptionInvoice.due_at < now,
        ).order_by(SubscriptionInvoice.due_at).limit(1)
    )


class StandingService:
    """Moves paid subscriptions between active, past due and read-only."""

    def standing(self, db: Session, *, store_id: int) -> StoreStanding:
        """The store's standing as its subscription's status says (one indexed read)."""
        status = db.scalar(select(StoreSubscription.status).where(StoreSubscription.store_id == store_id))
        if status != SubscriptionStatus.READ_ONLY:
            return GOOD_STANDING
        store = db.get(Store, store_id)
        profile_orders = invoicing_service.orders_when_read_only(db, platform_id=store.platform_id)
        return StoreStanding(read_only=True, accepts_orders=profile_orders,
                             message_key="billing.errors.read_only", params={"store": store.name})

    def _target(self, db: Session, subscription: StoreSubscription, now: datetime, grace: timedelta
                ) -> tuple[str, SubscriptionInvoice | None]:
        overdue = _oldest_overdue(db, subscription.store_id, now)
        if overdue is None:
            return SubscriptionStatus.ACTIVE.value, None
        if now < overdue.due_at + grace:
            return SubscriptionStatus.PAST_DUE.value, overdue
        return SubscriptionStatus.READ_ONLY.value, overdue

    def settle(self, db: Session, *, store_id: int, now: datetime | None = None) -> str | None:
        """Bring one store's status in line with its invoices (after a payment, an admin's
        change, or on the hourly round); announces each change. Returns the new status when
        it changed."""
        now = now or utcnow()
        begin_billing_write(db)
        subscription = db.scalar(select(StoreSubscription).where(StoreSubscription.store_id == store_id))
        if subscription is None or subscription.status not in PAID_STATES:
            db.rollback()
            return None
        store = db.get(Store, store_id)
        grace = timedelta(days=invoicing_service.grace_days(db, platform_id=store.platform_id))
        target, overdue = self._target(db, subscription, now, grace)
        before = subscription.status
        if target == before:
            db.rollback()
            return None
        subscription.status = target
        if target == SubscriptionStatus.PAST_DUE:
            announce(db, store, "payment_overdue", key=f"payment_overdue:{overdue.number}", invoice=overdue,
                     read_only_on=overdue.due_at + grace)
        elif target == SubscriptionStatus.READ_ONLY:
            announce(db, store, "read_only", key=f"read_only:{overdue.number}", invoice=overdue)
        else:
            announce(db, store, "restored", key=f"restored:{store_id}:{now.isoformat()}")
        db.commit()
        return target

    def refresh(self, db: Session, *, now: datetime | None = None) -> int:
        """The hourly round: settle every paid subscription that has an overdue invoice or is
        not active. Returns how many changed."""
        now = now or utcnow()
        store_ids = set(db.scalars(
            select(SubscriptionInvoice.store_id).where(
                SubscriptionInvoice.status == InvoiceStatus.OPEN.value, SubscriptionInvoice.due_at < now,
                SubscriptionInvoice.store_id.is_not(None))
        ))
        store_ids |= set(db.scalars(select(StoreSubscription.store_id).where(
            StoreSubscription.status.in_((SubscriptionStatus.PAST_DUE.value, SubscriptionStatus.READ_ONLY.value)))))
        db.rollback()
        return sum(1 for store_id in sorted(store_ids) if self.settle(db, store_id=store_id, now=now))

    def record_payment(
        self,
        db: Session,
        *,
        platform_id: int,
        invoice_id: int,
        method: str = "bank_transfer",
        note: str = "",
        actor: User | None = None,
        now: datetime | None = None,
    ) -> SubscriptionInvoice:
        """An open invoice of the platform was paid (a bank transfer received, a card payment
        succeeded): mark it, audited, tell the owners, and lift a read-only state it caused."""
        now = now or utcnow()
        begin_billing_write(db)
        invoice = db.get(SubscriptionInvoice, invoice_id)
        if invoice is None or invoice.platform_id != platform_id:
            db.rollback()
            raise NotFoundError(f"no invoice {invoice_id}")
        if invoice.status != InvoiceStatus.OPEN:
            db.rollback()
            raise BillingInputError([Problem("invoice", "billing.errors.invoice_not_open", {"number": invoice.number})])
        invoice.status = InvoiceStatus.PAID.value
        invoice.paid_at = now
        invoice.payment_method = method
        invoice.payment_note = note.strip()[:200]
        audit.record(
            db,
            "billing.invoice.paid",
            target=invoice.number,
            actor=actor,
            platform_id=platform_id,
            store_id=invoice.store_id,
            method=method,
            note=invoice.payment_note,
            total_cents=invoice.total_cents,
        )
        store = db.get(Store, invoice.store_id) if invoice.store_id is not None else None
        if store is not None:
            announce(db, store, "payment_received", key=f"payment_received:{invoice.number}", invoice=invoice)
        db.commit()
        if store is not None:
            self.settle(db, store_id=store.id, now=now)
        return invoice


standing_service = StandingService()
