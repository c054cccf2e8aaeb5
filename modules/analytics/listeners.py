"""What analytics does when orders announce something (declared in its definition): the daily
aggregates of the order's day follow the order.

Every order's creation and every change of its status is announced as ``OrderStatusChanged``
(a placed order and a paid one are announced that way too, beside ``OrderPlaced`` and
``OrderPaid``), so that one event is enough. The day is recomputed from the orders as they are
now: a second delivery, or events arriving out of order, leave the same figures.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from modules.analytics.services import aggregates
from modules.contracts.events import OrderStatusChanged


def on_order_status_changed(db: Session, event: OrderStatusChanged) -> None:
    """Recompute the daily figures of the day the order was placed on."""
    aggregates.recompute_order_day(db, platform_id=event.platform_id, store_id=event.store_id,
                                   order_id=event.order_id)
