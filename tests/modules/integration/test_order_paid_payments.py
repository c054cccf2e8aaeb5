"""Orders -> payments: staff marking an order paid records its pending offline payment as
received, so the order and its payment never disagree; the other direction stays a no-op."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from modules.orders.models import Order, OrderStatusChange
from modules.payments.models import Payment
from modules.payments.services import payment_service


def _fresh(db: Any, model: type, row_id: int) -> Any:
    db.rollback()
    db.expire_all()
    return db.get(model, row_id)


def _paid_steps(db: Any, order_id: int) -> list[OrderStatusChange]:
    db.rollback()
    return list(
        db.scalars(
            select(OrderStatusChange).where(
                OrderStatusChange.order_id == order_id, OrderStatusChange.to_status == "paid"
            )
        )
    )


def _pay(db: Any, store: Any, gateway: str, order: Order, key: str = "k-1") -> Payment:
    return payment_service.start(
        db, store_id=store.id, gateway=gateway, amount_cents=order.total_cents,
        reference=order.number, idempotency_key=key,
    )


def _mark_order_paid(client: Any, csrf: str, order: Order) -> None:
    response = client.post(
        f"/store/bakery/orders/{order.number}/status",
        data={"csrf_token": csrf, "to": "paid"},
        follow_redirects=False,
    )
    assert response.status_code == 303


@pytest.mark.parametrize("gateway", ["bank_transfer", "cash_on_pickup"])
def test_staff_marking_the_order_paid_records_its_offline_payment_as_received(
    client, db_session, shop, owner, configure, place, gateway
):
    bakery = shop[1]
    configure(bakery, gateway)
    order = place(bakery, payment_method=gateway)
    payment = _pay(db_session, bakery, gateway, order)
    assert payment.status == "pending"

    _mark_order_paid(client, owner, order)

    fresh = _fresh(db_session, Payment, payment.id)
    assert fresh.status == "succeeded" and fresh.confirmed_at is not None
    assert _fresh(db_session, Order, order.id).status == "paid"
    # the payment's own success event found the order paid already: still one step, by staff
    steps = _paid_steps(db_session, order.id)
    assert len(steps) == 1 and steps[0].actor != "payments"


def test_only_the_shoppers_last_pending_offline_payment_is_recorded(client, db_session, shop, owner, configure, place):
    """A shopper who started two bank transfers paid once: the later one is recorded."""
    bakery = shop[1]
    configure(bakery, "bank_transfer")
    order = place(bakery)
    first = _pay(db_session, bakery, "bank_transfer", order, key="k-1")
    second = _pay(db_session, bakery, "bank_transfer", order, key="k-2")

    _mark_order_paid(client, owner, order)

    assert _fresh(db_session, Payment, first.id).status == "pending"
    assert _fresh(db_session, Payment, second.id).status == "succeeded"


def test_a_payment_that_marked_the_order_paid_is_not_confirmed_again(db_session, shop, configure, place):
    """Payment -> order paid -> OrderPaid -> payments: a no-op (no loop, no second payment
    recorded, one paid step by payments)."""
    bakery = shop[1]
    configure(bakery, "bank_transfer")
    order = place(bakery)
    paid = _pay(db_session, bakery, "bank_transfer", order, key="k-1")
    other = _pay(db_session, bakery, "bank_transfer", order, key="k-2")

    payment_service.mark_paid(db_session, payment_id=paid.id, store_id=bakery.id)  # announces OrderPaid

    assert _fresh(db_session, Order, order.id).status == "paid"
    assert _fresh(db_session, Payment, paid.id).status == "succeeded"
    assert _fresh(db_session, Payment, other.id).status == "pending"  # a succeeded one exists
    assert [step.actor for step in _paid_steps(db_session, order.id)] == ["payments"]


def test_an_online_payment_is_never_marked_paid_by_staff_marking_the_order(
    client, db_session, shop, owner, configure, fake, place
):
    bakery = shop[1]
    configure(bakery, "stripe")
    order = place(bakery, payment_method="stripe")
    payment = _pay(db_session, bakery, "stripe", order)
    before = payment.status
    assert before != "succeeded"

    _mark_order_paid(client, owner, order)

    assert _fresh(db_session, Order, order.id).status == "paid"
    assert _fresh(db_session, Payment, payment.id).status == before


def test_another_stores_payment_with_the_same_reference_is_left_alone(
    client, db_session, shop, owner, configure, place
):
    _platform, bakery, books = shop
    configure(bakery, "bank_transfer")
    configure(books, "bank_transfer")
    order = place(bakery)
    elsewhere = payment_service.start(
        db_session, store_id=books.id, gateway="bank_transfer", amount_cents=order.total_cents,
        reference=order.number, idempotency_key="k-1",
    )

    _mark_order_paid(client, owner, order)

    assert _fresh(db_session, Payment, elsewhere.id).status == "pending"
