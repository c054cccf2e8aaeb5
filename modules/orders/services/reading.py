"""Reading orders: one order, the dashboard's list, a customer's history, an order's moves and
notes, and the statistics of customer segments."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from modules.orders.models import Order, OrderNote, OrderStatus, OrderStatusChange
from modules.orders.services.rules import (
    LOCAL_ZONE,
    NOT_SPENT,
    PER_PAGE,
    TRANSITIONS,
    _refuse,
)
from orion_server.database import utcnow
from orion_server.errors import NotFoundError
from orion_server.pagination import Page


def _local_day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LOCAL_ZONE)


def _like(text: str) -> str:
    escaped = text.strip()[:100].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class OrderReading:
    """Reading orders: one order, the dashboard's list, a customer's history, an order's moves
    and notes, and the statistics of customer segments."""

    # -- reading ------------------------------------------------------------------------------

    def get_order(self, db: Session, *, store_id: int, order_id: int) -> Order:
        """An order of the store; other stores' orders look like they do not exist."""
        order = db.get(Order, order_id)
        if order is None or order.store_id != store_id:
            raise NotFoundError(f"no order {order_id}")
        return order

    def get_by_number(self, db: Session, *, store_id: int, number: str) -> Order:
        """The store's order with this number (``BD-000123``)."""
        order = db.scalar(select(Order).where(Order.store_id == store_id, Order.number == number))
        if order is None:
            raise NotFoundError(f"no order {number}")
        return order

    def find_by_idempotency_key(self, db: Session, *, store_id: int, key: str) -> Order | None:
        """The order placed earlier with this key, if any."""
        return db.scalar(
            select(Order).where(Order.store_id == store_id, Order.idempotency_key == key)
        )

    def find_by_external_id(self, db: Session, *, store_id: int, channel: str, external_id: str) -> Order | None:
        """The store's order of ``channel`` known there as ``external_id``, if any."""
        return db.scalar(
            select(Order).where(Order.store_id == store_id, Order.channel == channel,
                                Order.external_id == external_id)
        )

    def list_orders(
        self,
        db: Session,
        *,
        store_id: int,
        status: str | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        customer: str = "",
        q: str = "",
        page: int = 1,
        per_page: int = PER_PAGE,
    ) -> Page:
        """The store's orders, newest first. ``date_from``/``date_to`` are days in Luxembourg time
        (both included); ``customer`` matches part of the e-mail or name, ``q`` part of the number."""
        if status and status not in OrderStatus.ALL:
            raise _refuse("status", "status_filter", status=repr(status))
        if date_from and date_to and date_from > date_to:
            raise _refuse("date_from", "date_range")
        page = max(1, page)
        per_page = max(1, min(per_page, 100))
        conditions = [Order.store_id == store_id]
        if status:
            conditions.append(Order.status == status)
        # The calendar's first and last days cannot be shifted to UTC (OverflowError, a 500);
        # a bound there excludes nothing, so it is left out.
        if date_from and date_from > date.min:
            conditions.append(Order.placed_at >= _local_day_start(date_from))
        if date_to and date_to < date.max:
            conditions.append(Order.placed_at < _local_day_start(date_to + timedelta(days=1)))
        if customer.strip():
            pattern = _like(customer)
            conditions.append(
                or_(
                    Order.customer_email.ilike(pattern, escape="\\"),
                    Order.customer_name.ilike(pattern, escape="\\"),
                )
            )
        if q.strip():
            pattern = _like(q)
            conditions.append(
                or_(Order.number.ilike(pattern, escape="\\"), Order.external_id.ilike(pattern, escape="\\"))
            )
        total = db.scalar(select(func.count(Order.id)).where(*conditions)) or 0
        items = list(
            db.scalars(
                select(Order)
                .where(*conditions)
                .order_by(Order.placed_at.desc(), Order.id.desc())
                .offset((page - 1) * per_page)
                .limit(per_page)
            )
        )
        return Page(items=items, total=total, page=page, per_page=per_page)

    def list_customer_orders(
        self, db: Session, *, store_id: int, customer_id: int, page: int = 1, per_page: int = PER_PAGE
    ) -> Page:
        """A customer's order history in one store as their account shows it (claimed orders),
        newest first."""
        page = max(1, page)
        per_page = max(1, min(per_page, 100))
        conditions = [Order.store_id == store_id, Order.customer_id == customer_id, Order.claimed_at.is_not(None)]
        total = db.scalar(select(func.count(Order.id)).where(*conditions)) or 0
        items = list(
            db.scalars(
                select(Order)
                .where(*conditions)
                .order_by(Order.placed_at.desc(), Order.id.desc())
                .offset((page - 1) * per_page)
                .limit(per_page)
            )
        )
        return Page(items=items, total=total, page=page, per_page=per_page)

    def get_customer_order(self, db: Session, *, store_id: int, customer_id: int, number: str) -> Order:
        """One order of the customer's history; other customers' orders, and guest orders with
        their address not yet confirmed, do not exist for them."""
        order = self.get_by_number(db, store_id=store_id, number=number)
        if order.customer_id != customer_id or order.claimed_at is None:
            raise NotFoundError(f"no order {number}")
        return order

    def unclaimed_count(self, db: Session, *, store_id: int, customer_id: int) -> int:
        """How many orders were placed with the customer's address without signing in and are
        not in their account yet (they are, once the address owner confirms by e-mail link)."""
        return db.scalar(select(func.count(Order.id)).where(
            Order.store_id == store_id, Order.customer_id == customer_id, Order.claimed_at.is_(None))) or 0

    def claim_orders(
        self, db: Session, *, store_id: int, customer_id: int, placed_before: datetime, commit: bool = True
    ) -> int:
        """Put the customer's guest orders placed up to ``placed_before`` in their account;
        returns how many joined (none twice: it is safe to repeat)."""
        result = db.execute(
            update(Order)
            .where(Order.store_id == store_id, Order.customer_id == customer_id, Order.claimed_at.is_(None),
                   Order.placed_at <= placed_before)
            .values(claimed_at=utcnow())
        )
        if commit:
            db.commit()
        return result.rowcount or 0

    def allowed_transitions(self, order: Order) -> tuple[str, ...]:
        """Statuses the order may move to next."""
        return TRANSITIONS.get(order.status, ())

    def history(self, db: Session, *, order: Order) -> list[OrderStatusChange]:
        """The order's status changes, oldest first."""
        return list(
            db.scalars(
                select(OrderStatusChange)
                .where(OrderStatusChange.order_id == order.id)
                .order_by(OrderStatusChange.id)
            )
        )

    def notes(self, db: Session, *, order: Order) -> list[OrderNote]:
        """The staff notes of the order, newest first."""
        return list(
            db.scalars(select(OrderNote).where(OrderNote.order_id == order.id).order_by(OrderNote.id.desc()))
        )

    # -- statistics for customer segments -----------------------------------------------------

    def order_stats(
        self, db: Session, *, store_id: int, customer_ids: Iterable[int]
    ) -> dict[int, tuple[int, int, datetime | None]]:
        """``{customer_id: (order_count, total_spent_cents, last_order_at)}`` for the customers of
        a store; cancelled and refunded orders do not count. Customers without orders are left out."""
        ids = sorted({int(i) for i in customer_ids})
        if not ids:
            return {}
        rows = db.execute(
            select(
                Order.customer_id,
                func.count(Order.id),
                func.coalesce(func.sum(Order.total_cents), 0),
                func.max(Order.placed_at),
            )
            .where(
                Order.store_id == store_id,
                Order.customer_id.in_(ids),
                Order.status.not_in(NOT_SPENT),
            )
            .group_by(Order.customer_id)
        )
        return {cid: (int(count), int(spent), last) for cid, count, spent, last in rows}
