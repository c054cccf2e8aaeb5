"""Payments -> orders: a succeeded payment marks the order with its number paid, once."""

from __future__ import annotations

from sqlalchemy import select

from modules.orders.models import Order, OrderStatusChange
from modules.payments.services import payment_service
from tests.modules.payments.conftest import webhook_url
from tests.modules.payments.test_webhooks import post_stripe, stripe_event


def _order(db, order_id: int) -> Order:
    db.rollback()
    db.expire_all()
    return db.get(Order, order_id)


def _paid_steps(db, order_id: int) -> list[OrderStatusChange]:
    return list(
        db.scalars(
            select(OrderStatusChange).where(
                OrderStatusChange.order_id == order_id, OrderStatusChange.to_status == "paid"
            )
        )
    )


def _pay(db, store, gateway: str, order, key: str = "k-1"):
    return payment_service.start(
        db,
        store_id=store.id,
        gateway=gateway,
        amount_cents=order.total_cents,
        reference=order.number,
        idempotency_key=key,
    )


def test_staff_marking_a_bank_transfer_paid_marks_its_order_paid(client, db_session, shop, owner, configure, place):
    """The mark-paid button of payments moves the order to paid, by the actor "payments"."""
    bakery = shop[1]
    configure(bakery, "bank_transfer")
    order = place(bakery)
    payment = _pay(db_session, bakery, "bank_transfer", order)

    response = client.post(
        f"/store/bakery/payments/{payment.id}/mark-paid", data={"csrf_token": owner}, follow_redirects=False
    )

    assert response.status_code == 303
    fresh = _order(db_session, order.id)
    assert fresh.status == "paid" and fresh.paid_at is not None
    assert [step.actor for step in _paid_steps(db_session, order.id)] == ["payments"]
    assert "Paid" in client.get(f"/store/bakery/orders/{order.number}?lang=en").text


def test_a_stripe_webhook_replayed_marks_the_order_paid_exactly_once(client, db_session, shop, configure, fake, place):
    """Five deliveries of the same event: one payment change, one order status change."""
    platform, bakery, _books = shop
    configure(bakery, "stripe")
    order = place(bakery)
    payment = _pay(db_session, bakery, "stripe", order)
    payload = stripe_event(payment.provider_payment_id)

    responses = [post_stripe(client, webhook_url(platform, bakery, "stripe"), payload) for _ in range(5)]

    assert [r.status_code for r in responses] == [200] * 5
    assert _order(db_session, order.id).status == "paid"
    assert len(_paid_steps(db_session, order.id)) == 1


def test_the_listener_called_again_for_a_paid_order_changes_nothing(db_session, shop, configure, place):
    """A second succeeded event for the same order (another payment, a replay) is ignored."""
    bakery = shop[1]
    configure(bakery, "bank_transfer")
    order = place(bakery)
    first = _pay(db_session, bakery, "bank_transfer", order, key="k-1")
    second = _pay(db_session, bakery, "bank_transfer", order, key="k-2")

    payment_service.mark_paid(db_session, payment_id=first.id, store_id=bakery.id)
    payment_service.mark_paid(db_session, payment_id=second.id, store_id=bakery.id)

    assert _order(db_session, order.id).status == "paid"
    assert len(_paid_steps(db_session, order.id)) == 1


def test_a_cancelled_order_or_another_stores_order_is_left_alone(db_session, shop, configure, place):
    """Only a pending order of the payment's own store becomes paid."""
    from modules.orders.services import order_service

    _platform, bakery, books = shop
    configure(bakery, "bank_transfer")
    cancelled = place(bakery)
    order_service.change_status(db_session, order_id=cancelled.id, store_id=bakery.id, to="cancelled")
    elsewhere = place(books)  # numbered BOO-000001 in the bookshop
    for key, reference, amount in (("k-1", cancelled.number, cancelled.total_cents), ("k-2", elsewhere.number, 100)):
        payment = payment_service.start(
            db_session, store_id=bakery.id, gateway="bank_transfer", amount_cents=amount,
            reference=reference, idempotency_key=key,
        )
        paid = payment_service.mark_paid(db_session, payment_id=payment.id, store_id=bakery.id)
        assert paid.status == "succeeded"

    assert _order(db_session, cancelled.id).status == "cancelled"
    assert _order(db_session, elsewhere.id).status == "pending_payment"


def test_a_payment_without_a_matching_order_still_succeeds(db_session, shop, configure):
    """References that are no order number (a gift card, say) are not the orders module's business."""
    bakery = shop[1]
    configure(bakery, "bank_transfer")
    payment = payment_service.start(
        db_session, store_id=bakery.id, gateway="bank_transfer", amount_cents=500,
        reference="GIFT-42", idempotency_key="k-1",
    )

    assert payment_service.mark_paid(db_session, payment_id=payment.id, store_id=bakery.id).status == "succeeded"


def test_a_payment_of_another_amount_or_currency_does_not_mark_the_order_paid(db_session, shop, configure, place):
    """A succeeded payment whose amount or currency is not the order's leaves it unpaid, with a
    note for the staff (issue 10)."""
    from modules.orders.services import order_service

    bakery = shop[1]
    configure(bakery, "bank_transfer")
    for key, amount, currency in (("short", -1, "EUR"), ("foreign", 0, "USD")):
        order = place(bakery)
        payment = payment_service.start(
            db_session, store_id=bakery.id, gateway="bank_transfer", amount_cents=order.total_cents + amount,
            reference=order.number, idempotency_key=key, currency=currency,
        )
        payment_service.mark_paid(db_session, payment_id=payment.id, store_id=bakery.id)

        assert _order(db_session, order.id).status == "pending_payment", key
        [note] = order_service.notes(db_session, order=_order(db_session, order.id))
        assert "was not marked paid" in note.body or "n'a pas été marquée payée" in note.body
