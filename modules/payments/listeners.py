"""What payments does when other modules announce something (declared in its definition)."""

from __future__ import annotations

import logging
from typing import Any

from modules.contracts.events import OrderPaid
from modules.payments.gateways import GATEWAYS
from modules.payments.services import payment_service

logger = logging.getLogger(__name__)


def confirm_offline_payment(db: Any, event: OrderPaid) -> None:
    """OrderPaid listener: staff marked an order paid, so its pending offline payment (bank
    transfer, cash on pickup) for the order number is recorded as received, and the two agree.

    A no-op when a payment for the order already succeeded (the order became paid through it,
    and this event follows from that) or when no offline payment is pending; online payments
    (card, PayPal) are only ever confirmed by their provider."""
    payments = payment_service.payments_for_reference(db, store_id=event.store_id, reference=event.number)
    if any(p.status == "succeeded" for p in payments):
        return
    pending = [
        p
        for p in payments
        if p.status == "pending"
        and p.gateway in GATEWAYS
        and GATEWAYS[p.gateway].requires_staff_confirmation
    ]
    if not pending:
        return
    payment = pending[-1]  # the shopper's last choice, if they started more than one
    payment_service.mark_paid(db, payment_id=payment.id, store_id=event.store_id)
    logger.info("payment %s recorded as received: order %s was marked paid", payment.id, event.number)
