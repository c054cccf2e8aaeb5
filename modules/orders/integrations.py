"""Orders' part in the contracts other modules share (orders imports none of them).

* a new order is announced as ``OrderPlaced`` with the confirmation e-mail's variables and a
  worded ``new_order`` staff notice (messaging sends them);
* a succeeded payment (contracts' payment events) whose reference is an order number marks
  that order paid, inside the payment's transaction (payments commits both together);
* an order that became paid (that way, or by staff) is announced as ``OrderPaid`` once the
  change is committed (messaging sends the "payment received" e-mail);
* order statistics for the customers' segments.

``register_hooks()`` is idempotent; the module definition calls it at start-up and tests call it
directly.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy import select
from sqlalchemy.orm import Session

from modules.contracts.commerce_events import (
    OrderPaid,
    OrderPlaced,
    StaffNotice,
    order_paid_listeners,
    order_placed_listeners,
)
from modules.contracts.customer_stats import CustomerOrderStats, order_stats_providers
from modules.contracts.payment_gateway import PaymentInfo, payment_events
from modules.orders.models import Order, OrderStatus
from modules.orders.services import order_service, status_listeners
from orion_server.config import get_settings
from orion_server.database import begin_write, session_scope
from orion_server.i18n import format_money, t
from orion_server.models import Store

logger = logging.getLogger(__name__)

PAYMENTS_ACTOR = "payments"


# -- orders -> messaging ----------------------------------------------------------------------


def status_url(order: Order, store: Store) -> str:
    """The absolute link of the order's status page (opens without an account), from the
    configured base URL (never the request's Host), in path mode like customers' reset link."""
    base = get_settings().base_url.rstrip("/")
    root = f"{base}/platforms/{store.platform.code}/storefront/{store.code}/"
    return root + order_service.status_path(order)


def confirmation_variables(order: Order, store: Store) -> dict[str, Any]:
    """What the messaging ``order_confirmation`` template needs, from the order's snapshot;
    ``order_url`` is the status page."""
    return {
        "customer_name": order.customer_name or order.customer_email,
        "store_name": store.name,
        "order_number": order.number,
        "items": [
            {"name": line.title, "quantity": line.quantity, "line_total_cents": line.line_total_cents}
            for line in order.lines
        ],
        "subtotal_cents": order.subtotal_cents,
        "shipping_cents": order.shipping_cents,
        "total_cents": order.total_cents,
        "order_url": status_url(order, store),
    }


def on_order_created(db: Session, order: Order, old: str | None, new: str) -> None:
    """Status listener: on creation, announce the order to every OrderPlaced listener.

    Each listener is its own unit of work: one that fails is logged and rolled back, and
    never undoes the order (it is committed already)."""
    if old is not None or not order_placed_listeners:
        return
    store = db.get(Store, order.store_id)
    if store is None:
        return
    event = order_placed(order, store)
    for listener in list(order_placed_listeners):
        try:
            begin_write(db)  # listeners read, then write: take the write lock first (SQLite)
            listener(db, event)
        except Exception:
            logger.exception("a listener of placed orders failed for order %s", order.id)
            db.rollback()


def order_placed(order: Order, store: Store) -> OrderPlaced:
    """The announcement of ``order``, with its staff notice worded in the store's language."""
    language = store.default_language
    notice = StaffNotice(
        store_id=store.id,
        kind="new_order",
        title=t("orders.notify.new_order", language, number=order.number),
        body=t(
            "orders.notify.new_order_body",
            language,
            customer=order.customer_name or order.customer_email or t("orders.detail.guest", language),
            total=format_money(order.total_cents, language),
        ),
        link=f"/store/{store.code}/orders/{order.number}",
    )
    return OrderPlaced(
        order_id=order.id,
        number=order.number,
        store_id=store.id,
        platform_id=store.platform_id,
        customer_email=order.customer_email or None,
        customer_language=order.customer_language,
        email_variables=confirmation_variables(order, store),
        staff_notice=notice,
    )


def order_paid(order: Order, store: Store) -> OrderPaid:
    """The announcement that ``order`` is paid, with the "payment received" e-mail's variables."""
    return OrderPaid(
        order_id=order.id,
        number=order.number,
        store_id=store.id,
        platform_id=store.platform_id,
        customer_email=order.customer_email or None,
        customer_language=order.customer_language,
        email_variables={
            "customer_name": order.customer_name or order.customer_email,
            "store_name": store.name,
            "order_number": order.number,
            "total_cents": order.total_cents,
            "order_url": status_url(order, store),
        },
    )


def announce_paid(db: Session, order: Order) -> None:
    """Tell every OrderPaid listener that ``order`` (committed as paid) is paid; each listener
    is its own unit of work, and one that fails is logged and rolled back."""
    if not order_paid_listeners:
        return
    store = db.get(Store, order.store_id)
    if store is None:
        return
    event = order_paid(order, store)
    for listener in list(order_paid_listeners):
        try:
            begin_write(db)
            listener(db, event)
        except Exception:
            logger.exception("a listener of paid orders failed for order %s", order.id)
            db.rollback()


def on_order_paid(db: Session, order: Order, old: str | None, new: str) -> None:
    """Status listener: an order moved to paid (by staff, say) is announced as OrderPaid.
    An order created already paid (a marketplace order) gets its confirmation instead."""
    if old is None or new != OrderStatus.PAID:
        return
    announce_paid(db, order)


_PAID_AFTER_COMMIT = "orders.paid_after_commit"


def _announce_after_commit(db: Session, order_id: int) -> None:
    """Announce ``order_id`` as paid once ``db``'s transaction commits (forgotten on rollback).

    A payment marks its order paid inside the payment's transaction, where the status
    listeners are not called; the announcement must wait for that commit, in a session of
    its own (a session cannot run SQL while it commits)."""
    pending: list[int] = db.info.setdefault(_PAID_AFTER_COMMIT, [])
    if order_id not in pending:
        pending.append(order_id)
    if not sa_event.contains(db, "after_commit", _announce_pending):
        sa_event.listen(db, "after_commit", _announce_pending)
        sa_event.listen(db, "after_soft_rollback", _forget_pending)


def _announce_pending(session: Session) -> None:
    for order_id in session.info.pop(_PAID_AFTER_COMMIT, []):
        try:
            with session_scope() as other:
                order = other.get(Order, order_id)
                if order is not None and order.status == OrderStatus.PAID:
                    announce_paid(other, order)
        except Exception:
            logger.exception("announcing paid order %s failed", order_id)


def _forget_pending(session: Session, previous_transaction: Any) -> None:
    if previous_transaction.parent is None:  # the outermost transaction: its work is gone
        session.info.pop(_PAID_AFTER_COMMIT, None)


# -- payments -> orders -----------------------------------------------------------------------


def on_payment_succeeded(db: Session, payment: PaymentInfo) -> None:
    """Payment listener: the store's order numbered like the payment's reference becomes paid.

    Runs inside the payment's transaction: the change is flushed, never committed (payments
    commits both). An order already paid (a replayed event) or in another status is left alone.
    """
    if payment.status != "succeeded" or not payment.reference:
        return
    order_id = db.scalar(
        select(Order.id).where(Order.store_id == payment.store_id, Order.number == payment.reference)
    )
    if order_id is None:
        return
    status = db.scalar(select(Order.status).where(Order.id == order_id))
    if status != OrderStatus.PENDING_PAYMENT:
        return
    order_service.change_status(
        db,
        order_id=order_id,
        store_id=payment.store_id,
        to=OrderStatus.PAID,
        actor=PAYMENTS_ACTOR,
        note=f"{payment.gateway} #{payment.id}",
        commit=False,
    )
    _announce_after_commit(db, order_id)


# -- customers <- orders ----------------------------------------------------------------------


class OrderStatsProvider:
    """Customer segment statistics from the orders table (cancelled and refunded left out)."""

    def order_stats(
        self, db: Any, *, store_id: int, customer_ids: Sequence[int]
    ) -> Mapping[int, CustomerOrderStats]:
        raw = order_service.order_stats(db, store_id=store_id, customer_ids=customer_ids)
        return {
            cid: CustomerOrderStats(order_count=count, total_spent_cents=spent, last_order_at=last)
            for cid, (count, spent, last) in raw.items()
        }


order_stats_provider = OrderStatsProvider()


def register_hooks() -> None:
    """Plug orders into the shared contracts: order events, payment events, stats (idempotent)."""
    for listener in (on_order_created, on_order_paid):
        if listener not in status_listeners:
            status_listeners.append(listener)
    payment_events.subscribe(on_payment_succeeded, statuses=("succeeded",))
    if not any(isinstance(p, OrderStatsProvider) for p in order_stats_providers):
        order_stats_providers.append(order_stats_provider)
