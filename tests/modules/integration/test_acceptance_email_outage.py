"""Acceptance (issue 3, e-mail outage): with the SMTP server down, shoppers still check out; the
confirmations wait in the outbox with a retry scheduled and are delivered, each exactly once,
when the server is back and the outbox task runs again (as huey's consumer runs it)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from modules.catalog.services import catalog_service
from modules.messaging.models import EmailOutbox
from modules.messaging.services import smtp_service
from modules.messaging.services.email_service import backoff
from modules.messaging.tasks.outbox import run_send_outbox
from modules.orders.models import Order
from modules.payments.services import settings_service
from orion_server.database import utcnow
from orion_server.modules.service import module_service
from tests.modules.checkout.conftest import IBAN, add_to_cart, checkout_body, storefront
from tests.modules.messaging.conftest import SmtpServer

BUYERS = ("anna@example.lu", "ben@example.lu", "carla@example.lu")


@pytest.fixture
def outage(db_session, shop):
    """The ``lux`` platform's SMTP server, configured but not running (yet)."""
    server = SmtpServer()
    smtp_service.save(
        db_session, platform_id=shop[0].id, host="127.0.0.1", port=server.port, security="none",
        from_address="shop@example.lu", from_name="Boulangerie Dupont",
    )
    yield server
    server.stop()


@pytest.fixture
def bakery(db_session, shop):
    """The bakery with checkout on, bank transfers taken and bread in stock."""
    platform, store, _books = shop
    for code in ("catalog", "checkout"):
        module_service.enable_module(db_session, platform.id, code)
    settings_service.save(db_session, store_id=store.id, gateway="bank_transfer", enabled=True,
                          values={"account_holder": "Boulangerie Dupont SARL", "iban": IBAN})
    catalog_service.create_product(
        db_session, store_id=store.id, slug="bread",
        translations={"fr": {"title": "Pain de seigle", "description": ""},
                      "de": {"title": "Roggenbrot", "description": ""}},
        variants=[{"sku": "BREAD", "options": {}, "stock": 20}],
        price_cents=420, vat_rate=300, status="published",
    )
    return platform, store


def _outbox(db) -> list[EmailOutbox]:
    db.rollback()
    db.expire_all()
    return list(db.scalars(select(EmailOutbox).where(EmailOutbox.code == "order_confirmation").order_by(EmailOutbox.id)))


def test_orders_succeed_while_smtp_is_down_and_their_emails_go_out_once_it_is_back(
    client, db_session, bakery, outage
):
    platform, store = bakery
    numbers = []
    for n, email in enumerate(BUYERS):
        add_to_cart(client, platform, store, "BREAD", quantity=n + 1)
        response = client.post(
            storefront(platform, store, "api/v1/checkout/place?lang=de"),
            json=checkout_body(email=email),
            headers={"X-CSRF-Token": client.cookies.get("orion_csrf"), "Idempotency-Key": f"outage-{n}"},
        )
        assert response.status_code == 201, response.text
        numbers.append(response.json()["number"])

    db_session.rollback()
    placed = db_session.scalars(select(Order.number).where(Order.store_id == store.id)).all()
    assert sorted(placed) == sorted(numbers) and len(set(numbers)) == 3

    # Down: each confirmation was tried once (the send task runs as each is queued), failed,
    # and waits for its retry.
    waiting = _outbox(db_session)
    assert [row.to_address for row in waiting] == list(BUYERS)
    now = utcnow()
    for row in waiting:
        assert row.status == "queued" and row.attempts == 1 and row.last_error
        assert now < row.next_attempt_at <= now + backoff(1)
    assert run_send_outbox().sent == 0  # nothing is due before the backoff ends

    # Back: the next run after the backoff delivers every e-mail, once.
    outage.start()
    later = utcnow() + backoff(1) + timedelta(seconds=1)
    report = run_send_outbox(now=later)
    assert (report.sent, report.retried, report.failed) == (3, 0, 0)
    assert run_send_outbox(now=later + timedelta(hours=1)).sent == 0

    assert all(row.status == "sent" and row.attempts == 2 for row in _outbox(db_session))
    received = sorted((m["To"], str(m["Subject"])) for m in outage.messages)
    assert [to for to, _ in received] == sorted(BUYERS)
    for to, subject in received:
        number = numbers[BUYERS.index(to)]
        assert subject.startswith(f"Ihre Bestellung {number} bei ")
