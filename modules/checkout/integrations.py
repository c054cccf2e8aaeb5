"""Checkout's part in the orders' life: the stock reserved for a checkout order follows it.

A cancelled or refunded order gives its units back; a shipped (or delivered) order turns them
into a sale. The reservation's reference is the order's idempotency key (see
``checkout_service``), so orders placed elsewhere (marketplace, staff) are left alone.

``register_hooks()`` is idempotent; the module definition calls it at start-up and tests call it
directly.
"""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from modules.cart.services import cart_service
from modules.checkout.services.checkout_service import KEY_PREFIX
from modules.orders.models import Order, OrderStatus
from modules.orders.services import status_listeners

logger = logging.getLogger(__name__)

RELEASE_ON = (OrderStatus.CANCELLED, OrderStatus.REFUNDED)
COMMIT_ON = (OrderStatus.SHIPPED, OrderStatus.DELIVERED)


def on_order_status(db: Session, order: Order, old: str | None, new: str) -> None:
    """Status listener: release or commit the stock reserved for a checkout order."""
    reference = order.idempotency_key or ""
    if old is None or not reference.startswith(KEY_PREFIX):
        return
    if new in RELEASE_ON:
        # A refund after shipping finds the units sold already: nothing to give back here.
        if cart_service.release_reservation(db, store_id=order.store_id, reference=reference):
            logger.info("released the stock of order %s (%s)", order.number, new)
    elif new in COMMIT_ON:
        if not cart_service.commit_reservation(
            db, store_id=order.store_id, reference=reference, actor=f"order {order.number}"
        ):
            logger.info("order %s is %s but holds no stock to commit", order.number, new)


def register_hooks() -> None:
    """Follow orders' status changes (idempotent)."""
    if on_order_status not in status_listeners:
        status_listeners.append(on_order_status)
