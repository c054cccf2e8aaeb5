"""What messaging does when other modules announce something (declared in its definition):
e-mails to customers through the outbox, notifications for staff. Each is idempotent: the
outbox's dedupe key makes a second delivery of the same event a no-op."""

from __future__ import annotations

import hashlib
from typing import Any

from modules.contracts.events import (
    CustomerEmailConfirmationRequested,
    OrderPaid,
    OrderPlaced,
    PasswordResetRequested,
    StaffInvited,
    StaffNotice,
    StaffPasswordResetRequested,
    SubscriptionNotice,
    UnpaidOrderReminder,
)
from modules.messaging.services import email_service, notification_service


def send_order_confirmation(db: Any, event: OrderPlaced) -> None:
    """E-mail the order's confirmation to the customer, once."""
    if not event.customer_email:
        return
    email_service.queue(
        db,
        platform_id=event.platform_id,
        store_id=event.store_id,
        code="order_confirmation",
        to=event.customer_email,
        language=event.customer_language,
        variables=event.email_variables,
        dedupe_key=f"order:{event.order_id}:confirmation",
    )


def send_payment_received(db: Any, event: OrderPaid) -> None:
    """E-mail "payment received" to the customer, once per order."""
    if not event.customer_email:
        return
    email_service.queue(
        db,
        platform_id=event.platform_id,
        store_id=event.store_id,
        code="payment_received",
        to=event.customer_email,
        language=event.customer_language,
        variables=event.email_variables,
        dedupe_key=f"order:{event.order_id}:paid",
    )


def send_payment_reminder(db: Any, event: UnpaidOrderReminder) -> None:
    """E-mail the shopper that their unpaid order will be cancelled soon, once per order."""
    if not event.email:
        return
    email_service.queue(
        db,
        platform_id=event.platform_id,
        store_id=event.store_id,
        code="payment_reminder",
        to=event.email,
        language=event.language,
        variables={
            "customer_name": event.customer_name,
            "store_name": _store_name(db, event.store_id),
            "order_number": event.number,
            "total_cents": event.total_cents,
            "cancel_at": event.cancel_at,
            "order_url": event.link,
        },
        dedupe_key=f"order:{event.order_id}:payment-reminder",
    )


def send_password_reset(db: Any, event: PasswordResetRequested) -> None:
    """E-mail the reset link in the customer's language, once per link."""
    email_service.queue(
        db,
        platform_id=event.platform_id,
        store_id=event.store_id,
        code="password_reset",
        to=event.email,
        language=event.language,
        variables={
            "customer_name": event.customer_name,
            "store_name": _store_name(db, event.store_id),
            "reset_url": event.link,
            "expires_hours": event.expires_hours,
        },
        dedupe_key="password_reset:" + hashlib.sha256(event.link.encode()).hexdigest()[:40],
    )


def send_email_confirmation(db: Any, event: CustomerEmailConfirmationRequested) -> None:
    """E-mail a customer's confirmation link to the address it confirms, once per link."""
    email_service.queue(
        db,
        platform_id=event.platform_id,
        store_id=event.store_id,
        code="email_confirmation",
        to=event.email,
        language=event.language,
        variables={
            "customer_name": event.customer_name,
            "store_name": _store_name(db, event.store_id),
            "confirm_url": event.link,
            "purpose": event.purpose,
            "expires_hours": event.expires_hours,
        },
        dedupe_key="email_confirmation:" + hashlib.sha256(event.link.encode()).hexdigest()[:40],
    )


def send_staff_password_reset(db: Any, event: StaffPasswordResetRequested) -> None:
    """E-mail a staff member's or admin's reset link in their language, once per link."""
    email_service.queue(
        db,
        platform_id=event.platform_id,
        store_id=event.store_id,
        code="staff_password_reset",
        to=event.email,
        language=event.language,
        variables={
            "user_name": event.name,
            "place_name": event.place_name,
            "reset_url": event.link,
            "expires_hours": event.expires_hours,
        },
        dedupe_key="staff_password_reset:" + hashlib.sha256(event.link.encode()).hexdigest()[:40],
    )


def send_staff_invitation(db: Any, event: StaffInvited) -> None:
    """E-mail an invitation to a store's team in the invitee's language, once per link."""
    email_service.queue(
        db,
        platform_id=event.platform_id,
        store_id=event.store_id,
        code="staff_invitation",
        to=event.email,
        language=event.language,
        variables={
            "invitee_name": event.name,
            "inviter_name": event.inviter_name,
            "store_name": event.store_name,
            "accept_url": event.link,
            "expires_hours": event.expires_hours,
        },
        dedupe_key="staff_invitation:" + hashlib.sha256(event.link.encode()).hexdigest()[:40],
    )


def send_subscription_notice(db: Any, event: SubscriptionNotice) -> None:
    """E-mail a step of the store's subscription (an invoice, an overdue payment, read-only,
    restored, a payment received) to each of its owners, once per notice."""
    for address in event.to:
        email_service.queue(
            db,
            platform_id=event.platform_id,
            store_id=event.store_id,
            code=f"subscription_{event.step}",
            to=address,
            language=event.language,
            variables=dict(event.variables),
            dedupe_key=f"subscription_notice:{event.key}:" + hashlib.sha256(address.encode()).hexdigest()[:16],
        )


def deliver_staff_notice(db: Any, event: StaffNotice) -> None:
    """Store the notification for the store's staff, once per event."""
    notification_service.notify_staff(
        db,
        store_id=event.store_id,
        kind=event.kind,
        title=event.title,
        body=event.body,
        link=event.link,
        commit=False,
    )


def _store_name(db: Any, store_id: int) -> str:
    from orion_server.models import Store

    store = db.get(Store, store_id)
    return store.name if store is not None else ""
