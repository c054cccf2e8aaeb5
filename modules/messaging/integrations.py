"""Messaging's answers to hooks other core modules declare (never an optional module here).

The customers module declares ``password_reset_senders``: messaging appends a sender that
queues the ``password_reset`` email in the customer's language. Optional modules (orders,
inventory) call ``email_service`` and ``notification_service`` themselves, as they may require
messaging while messaging may not import them.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from modules.contracts.commerce_events import (
    OrderPaid,
    OrderPlaced,
    StaffNotice,
    order_paid_listeners,
    order_placed_listeners,
    staff_notice_listeners,
)
from modules.messaging.services import email_service
from orion_server.database import begin_write, session_scope
from orion_server.models import Store

logger = logging.getLogger(__name__)


def send_password_reset(customer: Any, link: str) -> None:
    """Queue the reset email of ``customer`` (its own session; the caller has committed)."""
    from modules.customers.services.customer_service import RESET_LIFETIME

    with session_scope() as db:
        store = db.get(Store, customer.store_id)
        if store is None:
            return
        name = " ".join(p for p in (customer.first_name, customer.last_name) if p) or customer.email
        email_service.queue(
            db,
            platform_id=store.platform_id,
            store_id=store.id,
            code="password_reset",
            to=customer.email,
            language=customer.preferred_language,
            variables={
                "customer_name": name,
                "store_name": store.name,
                "reset_url": link,
                "expires_hours": int(RESET_LIFETIME.total_seconds() // 3600) or 1,
            },
            # one email per link: a retried request never sends the same link twice
            dedupe_key="password_reset:" + hashlib.sha256(link.encode()).hexdigest()[:40],
        )


def send_order_confirmation(db: Any, event: OrderPlaced) -> None:
    """OrderPlaced listener: e-mail the confirmation to the customer, once."""
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
    """OrderPaid listener: e-mail "payment received" to the customer, once per order (the
    outbox's unique key makes a second call a no-op)."""
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


def notify_new_order(db: Any, event: OrderPlaced) -> None:
    """OrderPlaced listener: pass the order's staff notice on (apart from the e-mail, so one
    failing never stops the other)."""
    from modules.messaging.services import notification_service

    notice = event.staff_notice
    if notice is not None:
        notification_service.notify_staff(
            db, store_id=notice.store_id, kind=notice.kind, title=notice.title, body=notice.body, link=notice.link
        )


def deliver_staff_notice(notice: StaffNotice) -> None:
    """Staff-notice listener: store the notification (its own unit of work)."""
    from modules.messaging.services import notification_service

    with session_scope() as db:
        begin_write(db)
        notification_service.notify_staff(
            db, store_id=notice.store_id, kind=notice.kind, title=notice.title, body=notice.body, link=notice.link
        )


def register_hooks() -> None:
    """Plug messaging into customers' reset links and the shared commerce events (idempotent)."""
    from modules.customers.protocols import password_reset_senders

    if send_password_reset not in password_reset_senders:
        password_reset_senders.append(send_password_reset)
    for listener in (send_order_confirmation, notify_new_order):
        if listener not in order_placed_listeners:
            order_placed_listeners.append(listener)
    if send_payment_received not in order_paid_listeners:
        order_paid_listeners.append(send_payment_received)
    if deliver_staff_notice not in staff_notice_listeners:
        staff_notice_listeners.append(deliver_staff_notice)
