"""Acceptance (issue 3, payments): a paid order changes once and says so by one e-mail.

* a Stripe webhook replayed 10 times moves the order to paid once (one history entry) and
  sends exactly one "payment received" e-mail, which reaches a real SMTP server (aiosmtpd);
* a tampered or stale Stripe webhook gets 400 and changes nothing (no order change, no e-mail);
* PayPal through the local fake: a capture marks the order paid with one e-mail, a declined
  capture leaves it waiting for payment and sends nothing;
* staff marking an order paid in the dashboard sends the e-mail too, once.

Stripe's declined card at the start of a payment is covered by
``tests/modules/payments/test_payment_service.py::test_a_declined_card_fails_the_payment``.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from sqlalchemy import func, select

from modules.contracts.events import OrderPaid
from modules.messaging.listeners import send_payment_received
from modules.messaging.models import EmailOutbox
from modules.messaging.services import smtp_service
from modules.orders.models import Order, OrderStatusChange
from modules.payments.services import payment_service
from orion_server.i18n import format_money
from orion_server.testing.events import announced
from tests.modules.messaging.conftest import SmtpServer
from tests.modules.payments import fakes
from tests.modules.payments.conftest import webhook_url
from tests.modules.payments.test_webhooks import post_stripe, stripe_event

PAID_SUBJECT_DE = "Zahlung für Ihre Bestellung"


@pytest.fixture
def mailbox(db_session, shop):
    """A local SMTP server (aiosmtpd) the ``lux`` platform sends through."""
    server = SmtpServer()
    server.start()
    smtp_service.save(
        db_session, platform_id=shop[0].id, host="127.0.0.1", port=server.port, security="none",
        from_address="shop@example.lu", from_name="Boulangerie Dupont",
    )
    yield server
    server.stop()


def _fresh(db: Any, order_id: int) -> Order:
    db.rollback()
    db.expire_all()
    return db.get(Order, order_id)


def _paid_steps(db: Any, order_id: int) -> int:
    return db.scalar(
        select(func.count(OrderStatusChange.id)).where(
            OrderStatusChange.order_id == order_id, OrderStatusChange.to_status == "paid"
        )
    )


def _paid_emails(db: Any) -> list[EmailOutbox]:
    db.rollback()
    return list(db.scalars(select(EmailOutbox).where(EmailOutbox.code == "payment_received")))


def _received(mailbox: SmtpServer, subject_start: str, expected: int, timeout: float = 5.0) -> list[Any]:
    """The delivered messages whose subject starts so, once ``expected`` are there (or the time is up)."""
    deadline = time.monotonic() + timeout
    while True:
        found = [m for m in mailbox.messages if str(m["Subject"]).startswith(subject_start)]
        if len(found) >= expected or time.monotonic() > deadline:
            time.sleep(0.2)  # a late duplicate would show up now
            return [m for m in mailbox.messages if str(m["Subject"]).startswith(subject_start)]
        time.sleep(0.05)


def _text_of(message: Any) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def _pay(db: Any, store: Any, gateway: str, order: Order, key: str = "k-1"):
    return payment_service.start(
        db, store_id=store.id, gateway=gateway, amount_cents=order.total_cents,
        reference=order.number, idempotency_key=key,
    )


def test_a_stripe_webhook_replayed_ten_times_changes_the_order_once_and_sends_one_email(
    client, db_session, shop, configure, fake, place, mailbox
):
    platform, bakery, _books = shop
    configure(bakery, "stripe")
    order = place(bakery)  # Marie Weber, German, 2 × 1,50 € + 4,90 € shipping
    payment = _pay(db_session, bakery, "stripe", order)
    payload = stripe_event(payment.provider_payment_id)

    responses = [post_stripe(client, webhook_url(platform, bakery, "stripe"), payload) for _ in range(10)]

    assert [r.status_code for r in responses] == [200] * 10
    assert [r.json()["changed"] for r in responses].count(True) == 1
    fresh = _fresh(db_session, order.id)
    assert fresh.status == "paid" and fresh.paid_at is not None
    assert _paid_steps(db_session, order.id) == 1
    emails = _paid_emails(db_session)
    assert len(emails) == 1
    assert emails[0].to_address == "marie@example.lu" and emails[0].language == "de"
    assert emails[0].status == "sent"

    delivered = _received(mailbox, PAID_SUBJECT_DE, 1)
    assert len(delivered) == 1
    message = delivered[0]
    assert message["To"] == "marie@example.lu"
    assert str(message["Subject"]) == f"Zahlung für Ihre Bestellung {order.number} bei Boulangerie Dupont erhalten"
    text = _text_of(message)
    assert "Hallo Marie Weber," in text
    assert f"Zahlung über {format_money(790, 'de')} für die Bestellung {order.number} erhalten" in text
    assert "7,90" in text
    assert f"/platforms/lux/storefront/bakery/orders/{order.number}/status?token=" in text


@pytest.mark.parametrize("forgery", ["tampered", "stale"])
def test_a_tampered_or_stale_stripe_webhook_is_refused_and_changes_nothing(
    client, db_session, shop, configure, fake, place, mailbox, forgery
):
    platform, bakery, _books = shop
    configure(bakery, "stripe")
    order = place(bakery)
    payment = _pay(db_session, bakery, "stripe", order)
    payload = stripe_event(payment.provider_payment_id)
    if forgery == "tampered":
        signature = fakes.stripe_signature(payload)
        payload = payload.replace(b"2450", b"9999")
    else:
        signature = fakes.stripe_signature(payload, timestamp=int(time.time()) - 3600)

    response = post_stripe(client, webhook_url(platform, bakery, "stripe"), payload, signature)

    assert response.status_code == 400
    assert response.json()["error"] == "webhook_rejected"
    fresh = _fresh(db_session, order.id)
    assert fresh.status == "pending_payment" and fresh.paid_at is None
    assert _paid_steps(db_session, order.id) == 0
    assert _paid_emails(db_session) == []
    assert _received(mailbox, PAID_SUBJECT_DE, 1, timeout=0.5) == []


def test_a_paypal_capture_marks_the_order_paid_with_one_email(db_session, shop, configure, fake, place, mailbox):
    bakery = shop[1]
    configure(bakery, "paypal")
    order = place(bakery)
    payment = _pay(db_session, bakery, "paypal", order)

    captured = payment_service.capture(db_session, store_id=bakery.id, payment_id=payment.id)
    again = payment_service.capture(db_session, store_id=bakery.id, payment_id=payment.id)

    assert captured.status == again.status == "succeeded"
    assert len(fake.calls(f"/v2/checkout/orders/{payment.provider_payment_id}/capture")) == 1
    assert _fresh(db_session, order.id).status == "paid"
    assert _paid_steps(db_session, order.id) == 1
    assert len(_paid_emails(db_session)) == 1
    assert len(_received(mailbox, PAID_SUBJECT_DE, 1)) == 1


def test_a_declined_paypal_capture_leaves_the_order_waiting_without_an_email(
    db_session, shop, configure, fake, place, mailbox
):
    bakery = shop[1]
    configure(bakery, "paypal")
    order = place(bakery)
    payment = _pay(db_session, bakery, "paypal", order)
    fake.paypal_decline_capture = True

    failed = payment_service.capture(db_session, store_id=bakery.id, payment_id=payment.id)

    assert failed.status == "failed" and "declined" in failed.failure_message
    assert _fresh(db_session, order.id).status == "pending_payment"
    assert _paid_steps(db_session, order.id) == 0
    assert _paid_emails(db_session) == []


def test_staff_marking_the_order_paid_sends_the_email_once(client, db_session, shop, owner, place, mailbox):
    """The dashboard's status change (not a payment) announces the payment too; a listener
    called again for the same order queues nothing more."""
    bakery = shop[1]
    order = place(bakery, customer={"email": "paul@example.lu", "name": "Paul Dupont", "language": "fr"})

    response = client.post(
        f"/store/bakery/orders/{order.number}/status",
        data={"csrf_token": owner, "to": "paid"},
        follow_redirects=False,
    )

    assert response.status_code == 303
    assert _fresh(db_session, order.id).status == "paid"
    send_payment_received(db_session, announced(db_session, OrderPaid)[0])  # delivered again
    db_session.commit()
    emails = _paid_emails(db_session)
    assert len(emails) == 1 and emails[0].language == "fr"
    delivered = _received(mailbox, "Paiement reçu pour votre commande", 1)
    assert len(delivered) == 1
    assert f"paiement de {format_money(790, 'fr')} pour la commande {order.number}" in _text_of(delivered[0])


def test_coming_back_from_paypal_captures_once_on_the_confirmation_page(client, db_session, shop, configure, fake):
    """The shopper approves at PayPal and returns to the confirmation page: the order is paid
    there and then (not only when the webhook comes), and reloading never captures twice; an
    order the shopper did not approve simply waits (issue 10)."""
    from modules.orders.services import order_service
    from orion_server.modules.service import module_service
    from orion_server.testing.factories import Factories
    from tests.modules.checkout.conftest import add_to_cart, checkout_body, place_api, storefront

    platform, bakery = shop[0], shop[1]
    for code in ("catalog", "checkout"):
        module_service.enable_module(db_session, platform.id, code)
    configure(bakery, "paypal")
    Factories(db_session).product(bakery, "bread", price=350, stock=5, titles={"fr": "Pain", "de": "Brot", "en": "Bread"}, sku="BREAD")
    add_to_cart(client, platform, bakery, "BREAD", 1)
    placed = place_api(client, platform, bakery, "paypal-return-1", checkout_body(payment_method="paypal"))
    assert placed.status_code == 201, placed.text
    number = placed.json()["number"]
    order = db_session.scalar(select(Order).where(Order.number == number))
    confirmation = storefront(platform, bakery, f"checkout/done/{number}?token={order_service.status_token(order)}")
    [payment] = payment_service.payments_for_reference(db_session, store_id=bakery.id, reference=number)

    fake.paypal_unapproved.add(payment.provider_payment_id)
    assert client.get(confirmation).status_code == 200
    assert _fresh(db_session, order.id).status == "pending_payment"

    fake.paypal_unapproved.clear()  # the shopper approved at PayPal and comes back
    assert client.get(confirmation).status_code == 200
    assert client.get(confirmation).status_code == 200
    assert _fresh(db_session, order.id).status == "paid"
    assert len(fake.calls(f"/v2/checkout/orders/{payment.provider_payment_id}/capture")) == 2  # refused once, then one
