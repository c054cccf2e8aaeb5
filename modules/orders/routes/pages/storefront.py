"""Storefront pages of the Orders module, relative to the storefront root:

* ``account/orders``: the signed-in customer's orders, newest first, in pages;
* ``account/orders/{number}``: one of them in full (another customer's order is a 404);
* ``orders/{number}/status?token=…``: the status page a guest opens from the confirmation
  e-mail, without an account (a wrong or missing token is a 404).

Orders may not import customers: who is signed in comes from the contract
``modules.contracts.storefront_customer``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import Depends, Request
from fastapi.responses import Response

from modules.contracts.checkout_payments import method_label
from modules.contracts.storefront_customer import current_shopper, require_shopper
from modules.orders.models import Order, OrderStatus
from modules.orders.services import order_service
from orion_server.deps import (
    CurrentStore,
    SessionDep,
    not_found_as_404,
)
from orion_server.i18n import t
from orion_server.modules.context import get_storefront_context
from orion_server.pagination import page_number
from orion_server.routing import ModuleRouter
from orion_server.templating import render

PER_PAGE = 10
S = OrderStatus
PROGRESS = ("placed", S.PAID, S.PROCESSING, S.SHIPPED, S.DELIVERED)
"""The steps the status page shows, in order; ``placed`` is the order's creation."""
STEP_OF_STATUS = {S.PENDING_PAYMENT: 0, S.PAID: 1, S.PROCESSING: 2, S.SHIPPED: 3, S.DELIVERED: 4}
CLOSED = (S.CANCELLED, S.REFUNDED)


router = ModuleRouter(dependencies=[Depends(not_found_as_404)])


@dataclass(frozen=True)
class Step:
    """One step of the progress display."""

    key: str
    label: str
    state: str
    """``done``, ``current`` or ``todo``."""
    at: datetime | None


def payment_label(db: Any, store_id: int, code: str, language: str) -> str:
    """The payment method in words (through the payments contract), else its code."""
    return method_label(db, store_id, code, language)


def progress(order: Order, history: list[Any], language: str) -> list[Step]:
    """The steps placed → paid → processing → shipped → delivered, with the date each was
    reached; empty for a cancelled or refunded order (the page says so instead)."""
    if order.status in CLOSED:
        return []
    reached: dict[str, datetime] = {"placed": order.placed_at}
    for change in history:
        reached.setdefault(change.to_status, change.created_at)
    stamps = {S.PAID: order.paid_at, S.SHIPPED: order.shipped_at, S.DELIVERED: order.delivered_at}
    current = STEP_OF_STATUS.get(order.status, 0)
    steps = []
    for index, key in enumerate(PROGRESS):
        state = "done" if index < current else "current" if index == current else "todo"
        at = (stamps.get(key) or reached.get(key)) if state != "todo" else None
        label_key = "orders.storefront.step_placed" if key == "placed" else f"orders.status.{key}"
        steps.append(Step(key=key, label=t(label_key, language), state=state, at=at))
    return steps


def closed_at(order: Order) -> datetime | None:
    """When a cancelled or refunded order was closed."""
    if order.status == S.CANCELLED:
        return order.cancelled_at
    if order.status == S.REFUNDED:
        return order.refunded_at
    return None


def _render(request: Request, db: SessionDep, template: str, title: str, **extra: Any) -> Response:
    context = get_storefront_context(request, db, page_title=title, **extra)
    return render(request, f"orders/storefront/{template}", context)


def _order_context(db: SessionDep, order: Order, language: str) -> dict[str, Any]:
    history = order_service.history(db, order=order)
    return {
        "order": order,
        "history": history,
        "steps": progress(order, history, language),
        "closed_at": closed_at(order),
        "payment_label": payment_label(db, order.store_id, order.payment_method_code, language),
    }


# -- the customer's account ------------------------------------------------------------------


@router.get("/account/orders")
def my_orders(request: Request, db: SessionDep, store: CurrentStore, page: str = "1", link_sent: str = "") -> Response:
    """The signed-in customer's orders, newest first; orders placed with their address without
    signing in are counted, with the way to add them (a link e-mailed to that address)."""
    shopper = require_shopper(request, db, store.id)
    result = order_service.list_customer_orders(
        db,
        store_id=store.id,
        customer_id=shopper.customer_id,
        page=page_number(page),
        per_page=PER_PAGE,
    )
    return _render(
        request,
        db,
        "list.html",
        t("orders.account.title", request.state.language),
        result=result,
        shopper=shopper,
        unclaimed=order_service.unclaimed_count(db, store_id=store.id, customer_id=shopper.customer_id),
        link_sent=link_sent == "1",
    )


@router.get("/account/orders/{number}")
def my_order(request: Request, number: str, db: SessionDep, store: CurrentStore) -> Response:
    """One of the customer's orders: lines, totals, VAT, addresses, methods and history."""
    shopper = require_shopper(request, db, store.id)
    order = order_service.get_customer_order(
        db, store_id=store.id, customer_id=shopper.customer_id, number=number
    )
    language = request.state.language
    return _render(
        request,
        db,
        "detail.html",
        t("orders.detail.title", language, number=order.number),
        **_order_context(db, order, language),
    )


# -- the guest's status page -----------------------------------------------------------------


@router.get("/orders/{number}/status")
def order_status(
    request: Request, number: str, db: SessionDep, store: CurrentStore, token: str = ""
) -> Response:
    """Where an order stands, for whoever holds the link of the confirmation e-mail."""
    order = order_service.check_status_token(db, store_id=store.id, number=number, token=token)
    shopper = current_shopper(request, db)  # first: it may set the customer's language
    language = request.state.language
    mine = (
        shopper is not None
        and shopper.store_id == store.id
        and shopper.customer_id == order.customer_id
        and order.claimed_at is not None
    )
    return _render(
        request,
        db,
        "status.html",
        t("orders.detail.title", language, number=order.number),
        mine=mine,
        **_order_context(db, order, language),
    )
