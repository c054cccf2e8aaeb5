"""Orders a store took in a calendar month (UTC): what the plan's monthly order limit counts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from modules.orders.models import Order


def month_start(moment: datetime) -> datetime:
    """Midnight (UTC) of the first day of ``moment``'s month."""
    return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def orders_in_month(db: Session, *, store_id: int, moment: datetime) -> int:
    """The store's orders (every status and channel) placed from the start of ``moment``'s
    month up to ``moment`` (indexed: store, placed_at)."""
    return db.scalar(
        select(func.count(Order.id)).where(
            Order.store_id == store_id, Order.placed_at >= month_start(moment), Order.placed_at <= moment
        )
    ) or 0
