"""What checkout does when other modules announce something (declared in its definition): the
stock reserved for a checkout order follows the order.

A cancelled or refunded order gives its units back; a shipped (or delivered) order turns them
into a sale. The reservation's reference is the order's idempotency key (see
``checkout_service``), so orders placed elsewhere (marketplace, staff) are left alone. Both
steps are idempotent: a reservation released or committed once is not touched again.
"""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from modules.cart.services import cart_service
from modules.checkout.services.checkout_service import KEY_PREFIX
from modules.contracts.events import OrderStatusChanged
from modules.orders.models import OrderStatus

logger = logging.getLogger(__name__)

RELEASE_ON = (OrderStatus.CANCELLED, OrderStatus.REFUNDED)
COMMIT_ON = (OrderStatus.SHIPPED, OrderStatus.DELIVERED)


def on_order_status_changed(db: Session, event: OrderStatusChanged) -> None:
    """Release or commit the stock reserved for a checkout order."""
    reference = event.idempotency_key or ""
    if event.old_status is None or not reference.startswith(KEY_PREFIX):
        return
    if event.new_status in RELEASE_ON:
        # A refund after shipping finds the units sold already: nothing to give back here.
        if cart_service.release_reservation(db, store_id=event.store_id, reference=reference):
            logger.info("released the stock of order %s (%s)", event.number, event.new_status)
    elif event.new_status in COMMIT_ON:
        if not cart_service.commit_reservation(
            db, store_id=event.store_id, reference=reference, actor=f"order {event.number}"
        ):
            logger.info("order %s is %s but holds no stock to commit", event.number, event.new_status)
