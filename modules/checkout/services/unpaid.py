"""Unpaid checkout orders do not hold stock for ever: a day before their hold runs out the
shopper is reminded (``UnpaidOrderReminder``: messaging e-mails them, once), and when it has
run out the order is cancelled, which gives its units back (``listeners``).

The hold is ``CHECKOUT_RESERVATION_HOLD_DAYS`` (3 by default: a bank transfer within the
euro area arrives in a day or two). The periodic task runs hourly. A reminded order gets a note
by ``payment reminder`` (the staff see it on the order), which is also how a later run knows
not to remind it again; messaging's de-duplication covers a run that stopped in between.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from modules.checkout.config import config
from modules.contracts.events import UnpaidOrderReminder
from modules.orders.models import Order, OrderNote, OrderStatus
from modules.orders.services import order_service
from orion_server.config import get_settings
from orion_server.database import begin_write, utcnow
from orion_server.events import emit
from orion_server.i18n import t
from orion_server.models import Platform, Store

logger = logging.getLogger(__name__)

ACTOR = "checkout"
REMINDER_AUTHOR = "payment reminder"
REMIND_BEFORE = timedelta(days=1)


def hold() -> timedelta:
    """How long an unpaid checkout order keeps its stock."""
    return timedelta(days=config.reservation_hold_days)


def _unpaid(placed_until: datetime) -> Any:
    """Checkout orders still waiting for their payment, placed up to ``placed_until``."""
    from modules.checkout.services.checkout_service import KEY_PREFIX

    return select(Order).where(
        Order.status == OrderStatus.PENDING_PAYMENT,
        Order.idempotency_key.startswith(KEY_PREFIX),
        Order.placed_at <= placed_until,
    ).order_by(Order.id)


def cancel_unpaid(db: Session, *, now: datetime | None = None) -> int:
    """Cancel every checkout order whose hold ran out unpaid; how many."""
    now = now or utcnow()
    orders = list(db.scalars(_unpaid(now - hold())))
    db.commit()
    cancelled = 0
    for order in orders:
        try:
            order_service.change_status(
                db, order_id=order.id, store_id=order.store_id, to=OrderStatus.CANCELLED, actor=ACTOR,
                note=f"unpaid after {config.reservation_hold_days} days",
            )
            cancelled += 1
        except Exception:  # paid meanwhile, or a transition refused: leave it
            db.rollback()
            logger.info("unpaid order %s was not cancelled", order.number, exc_info=True)
    return cancelled


def remind_unpaid(db: Session, *, now: datetime | None = None) -> int:
    """Announce a reminder for each order whose hold runs out within a day and that was not
    reminded yet; how many."""
    from modules.checkout.services.checkout_service import CheckoutService

    now = now or utcnow()
    begin_write(db)  # reads, then writes the events and notes: a writer from the start
    reminded = select(OrderNote.order_id).where(OrderNote.author == REMINDER_AUTHOR)
    orders = list(db.scalars(_unpaid(now - hold() + REMIND_BEFORE).where(Order.id.not_in(reminded))))
    base = get_settings().base_url.rstrip("/")
    for order in orders:
        store = db.get(Store, order.store_id)
        platform = db.get(Platform, store.platform_id)
        root = f"{base}/platforms/{platform.code}/storefront/{store.code}/"
        emit(db, UnpaidOrderReminder(
            platform_id=store.platform_id, store_id=store.id, order_id=order.id, number=order.number,
            email=order.customer_email, customer_name=order.customer_name or order.customer_email,
            language=order.customer_language, total_cents=order.total_cents,
            cancel_at=(order.placed_at + hold()).strftime("%d/%m/%Y %H:%M UTC"),
            link=root + CheckoutService.confirmation_path(order),
        ))
        order_service.add_note(
            db, order_id=order.id, store_id=order.store_id, author=REMINDER_AUTHOR, commit=False,
            body=t("checkout.notes.payment_reminder", store.default_language, email=order.customer_email,
                   date=(order.placed_at + hold()).strftime("%d/%m/%Y %H:%M UTC")),
        )
    db.commit()
    return len(orders)
