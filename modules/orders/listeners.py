"""What orders does when other modules announce something (declared in its definition)."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from modules.contracts.events import CustomerOrdersConfirmed, PaymentStatusChanged
from modules.orders.models import Order, OrderStatus
from modules.orders.services import order_service
from orion_server.i18n import t
from orion_server.models import Store
from orion_server.money import format_money

logger = logging.getLogger(__name__)

PAYMENTS_ACTOR = "payments"


def on_payment_status_changed(db: Session, event: PaymentStatusChanged) -> None:
    """A succeeded payment whose reference is one of the store's order numbers marks that order
    paid (announcing ``OrderPaid``). An order already paid (the event arrived again) or in
    another status is left alone, and so is every payment the store made to the platform (a
    subscription invoice's number may look like an order number)."""
    if event.purpose != "order" or event.status != "succeeded" or not event.reference:
        return
    found = db.execute(
        select(Order.id, Order.status, Order.total_cents, Order.currency).where(
            Order.store_id == event.store_id, Order.number == event.reference
        )
    ).first()
    if found is None or found.status != OrderStatus.PENDING_PAYMENT:
        return
    if event.amount_cents != found.total_cents or event.currency.upper() != found.currency.upper():
        # Not this order's price: the order stays unpaid and the staff are told why.
        logger.warning("payment %s of %s %s does not pay order %s (%s %s)", event.payment_id, event.amount_cents,
                       event.currency, event.reference, found.total_cents, found.currency)
        language = db.get(Store, event.store_id).default_language
        order_service.add_note(
            db, order_id=found.id, store_id=event.store_id, author=PAYMENTS_ACTOR, commit=False,
            body=t("orders.notes.payment_mismatch", language, payment=f"{event.gateway} #{event.payment_id}",
                   paid=format_money(event.amount_cents, language, event.currency.upper()),
                   total=format_money(found.total_cents, language, found.currency)),
        )
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


def on_customer_orders_confirmed(db: Session, event: CustomerOrdersConfirmed) -> None:
    """The address owner confirmed: their guest orders placed until the link was sent join the
    account (repeating it changes nothing)."""
    order_service.claim_orders(
        db, store_id=event.store_id, customer_id=event.customer_id,
        placed_before=datetime.fromisoformat(event.placed_before), commit=False,
    )
