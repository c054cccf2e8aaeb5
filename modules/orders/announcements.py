"""What orders announces to other modules (``modules.contracts.events``), inside the transaction
of the change: a new order with its confirmation e-mail's variables, a worded ``new_order``
staff notice, every status change, and an order that became paid."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from modules.contracts.events import OrderPaid, OrderPlaced, OrderStatusChanged, StaffNotice
from modules.contracts.tier_limits import TierLimit
from modules.orders.models import Order, OrderStatus
from orion_server.config import get_settings
from orion_server.events import emit
from orion_server.i18n import format_money, t
from orion_server.models import Store


def status_url(order: Order, store: Store) -> str:
    """The absolute link of the order's status page (opens without an account), from the
    configured base URL (never the request's Host), in path mode like customers' reset link."""
    from modules.orders.services import order_service

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


def new_order_notice(order: Order, store: Store) -> StaffNotice:
    """The staff notice of a new order, worded in the store's language."""
    language = store.default_language
    return StaffNotice(
        platform_id=store.platform_id,
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


def over_plan_limit_notice(order: Order, store: Store, limit: TierLimit, taken: int) -> StaffNotice:
    """The staff notice of the first order of the month past the plan's order limit."""
    language = store.default_language
    params = limit.message_params(taken - 1)
    body = "orders.notify.over_limit_body" if limit.lifted_by else "orders.notify.over_limit_body_top"
    return StaffNotice(
        platform_id=store.platform_id,
        store_id=store.id,
        kind="over_plan_limit",
        title=t("orders.notify.over_limit", language, number=order.number),
        body=t(body, language, **params),
        link=f"/store/{store.code}/billing",
    )


def order_placed(order: Order, store: Store) -> OrderPlaced:
    """The announcement of ``order``, with its confirmation e-mail's variables."""
    return OrderPlaced(
        platform_id=store.platform_id,
        store_id=store.id,
        order_id=order.id,
        number=order.number,
        customer_email=order.customer_email or None,
        customer_language=order.customer_language,
        email_variables=confirmation_variables(order, store),
    )


def order_paid(order: Order, store: Store) -> OrderPaid:
    """The announcement that ``order`` is paid, with the "payment received" e-mail's variables."""
    return OrderPaid(
        platform_id=store.platform_id,
        store_id=store.id,
        order_id=order.id,
        number=order.number,
        customer_email=order.customer_email or None,
        customer_language=order.customer_language,
        email_variables={
            "customer_name": order.customer_name or order.customer_email,
            "store_name": store.name,
            "order_number": order.number,
            "total_cents": order.total_cents,
            "order_url": status_url(order, store),
        },
        customer_id=order.customer_id,
        total_cents=order.total_cents,
        shipping_cents=order.shipping_cents,
    )


def announce_status(db: Session, order: Order, store: Store, old: str | None) -> None:
    """Announce that ``order`` reached its status (``old`` None: it was just created), in the
    caller's transaction: a created order is placed (e-mail and staff notice), and an order
    moved to paid is paid. An order created already paid (a marketplace order) gets its
    confirmation, not a "payment received"."""
    emit(
        db,
        OrderStatusChanged(
            platform_id=store.platform_id,
            store_id=store.id,
            order_id=order.id,
            number=order.number,
            old_status=old,
            new_status=order.status,
            idempotency_key=order.idempotency_key,
        ),
    )
    if old is None:
        emit(db, order_placed(order, store))
        emit(db, new_order_notice(order, store))
    elif order.status == OrderStatus.PAID:
        emit(db, order_paid(order, store))
