"""What orders does when other modules announce something (declared in its definition)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from modules.contracts.events import PaymentStatusChanged
from modules.orders.models import Order, OrderStatus
from modules.orders.services import order_service

PAYMENTS_ACTOR = "payments"


def on_payment_status_changed(db: Session, event: PaymentStatusChanged) -> None:
    """A succeeded payment whose reference is one of the store's order numbers marks that order
    paid (announcing ``OrderPaid``). An order already paid (the event arrived again) or in
    another status is left alone."""
    if event.status != "succeeded" or not event.reference:
        return
    found = db.execute(
        select(Order.id, Order.status).where(
            Order.store_id == event.store_id, Order.number == event.reference
        )
    ).first()
    if found is None or found.status != OrderStatus.PENDING_PAYMENT:
        return
    order_service.change_status(
        db,
        order_id=found.id,
        store_id=event.store_id,
        to=OrderStatus.PAID,
        actor=PAYMENTS_ACTOR,
        note=f"{event.gateway} #{event.payment_id}",
        commit=False,
    )
