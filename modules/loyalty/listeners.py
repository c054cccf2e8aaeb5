"""What loyalty does when orders announce something (declared in its definition): a paid order
earns its customer's card stamps and points; a cancelled or refunded one gives them back, and
gives back the points that paid part of it. Both
are idempotent (each order earns and is reversed once), as at-least-once delivery needs."""

from __future__ import annotations

from sqlalchemy.orm import Session

from modules.contracts.events import OrderPaid, OrderStatusChanged
from modules.loyalty import discounts
from modules.loyalty.services import earning

REVERSING = {"cancelled", "refunded"}


def on_order_paid(db: Session, event: OrderPaid) -> None:
    earning.earn_for_order(db, store_id=event.store_id, order_id=event.order_id, customer_id=event.customer_id,
                           total_cents=event.total_cents, shipping_cents=event.shipping_cents)


def on_order_status_changed(db: Session, event: OrderStatusChanged) -> None:
    if event.new_status in REVERSING:
        earning.reverse_for_order(db, store_id=event.store_id, order_id=event.order_id)
        if event.idempotency_key:  # points that paid part of it come back
            discounts.give_back(db, store_id=event.store_id, reference=event.idempotency_key)
