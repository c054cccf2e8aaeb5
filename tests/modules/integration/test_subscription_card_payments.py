"""A store pays its subscription invoice by card through the platform's own Stripe account
(the local fake): the upgrade sends the owner to the card page, a signed webhook at the
platform's URL marks the invoice paid once; forgeries are refused, and orders ignores it."""

from __future__ import annotations

import json
import time

import pytest
from sqlalchemy import select, update

from modules.billing.models import SubscriptionInvoice
from modules.orders.models import Order
from modules.payments.models import Payment
from modules.payments.services import platform_settings_service
from orion_server.models import AuditEntry
from tests.modules.payments import fakes
from tests.modules.payments.conftest import STRIPE


def platform_webhook_url(platform) -> str:
    """The webhook URL of the platform's own Stripe account (path mode)."""
    return f"/platforms/{platform.code}/api/v1/payments/webhooks/stripe"


def succeeded(intent_id: str, amount: int, event_id: str = "evt_sub_1") -> bytes:
    return json.dumps({
        "id": event_id, "object": "event", "type": "payment_intent.succeeded", "created": int(time.time()),
        "data": {"object": {"id": intent_id, "object": "payment_intent", "amount_received": amount}},
    }).encode()


def post_signed(client, url: str, payload: bytes, secret: str = fakes.STRIPE_WEBHOOK_SECRET):
    return client.post(url, content=payload, headers={
        "Content-Type": "application/json", "Stripe-Signature": fakes.stripe_signature(payload, secret)})


def platform_takes_cards(db, platform) -> None:
    """The platform's admin entered its Stripe account (the fake's keys) and turned it on."""
    platform_settings_service.save(db, platform_id=platform.id, gateway="stripe", enabled=True, values=STRIPE)


def upgrade(client, csrf: str, store_code: str, tier: str = "professional"):
    return client.post(f"/store/{store_code}/billing/plan", data={"tier": tier, "cycle": "monthly", "csrf_token": csrf},
                       follow_redirects=False)


def invoice_of(db, store) -> SubscriptionInvoice:
    db.rollback()
    return db.scalars(select(SubscriptionInvoice).where(SubscriptionInvoice.store_id == store.id)
                      .order_by(SubscriptionInvoice.sequence.desc())).first()


@pytest.fixture
def paying(client, db_session, factories, shop, fake):
    """The bakery's owner confirmed Professional on a platform taking cards: (csrf, invoice)."""
    platform, bakery, _ = shop
    platform_takes_cards(db_session, platform)
    csrf = factories.owner(client, bakery)
    done = upgrade(client, csrf, "bakery")
    invoice = invoice_of(db_session, bakery)
    assert done.status_code == 303, done.text
    assert done.headers["location"] == f"/store/bakery/billing/invoices/{invoice.number}/pay"
    return csrf, invoice


def test_the_upgrade_starts_a_card_payment_of_the_invoice_total_at_the_platforms_account(client, db_session, shop, fake, paying):
    _, invoice = paying
    [call] = fake.calls("/v1/payment_intents")
    sent = call.form()
    assert (int(sent["amount"]), sent["currency"], sent["metadata[reference]"]) == (invoice.total_cents, "eur", invoice.number)
    assert call.headers["authorization"] == f"Bearer {fakes.STRIPE_SECRET_KEY}"

    page = client.get(f"/store/bakery/billing/invoices/{invoice.number}/pay?lang=en")
    assert page.status_code == 200
    assert 'data-client-secret="pi_fake1_secret_abc"' in page.text and 'data-publishable-key="pk_test_fake_public"' in page.text
    assert "https://js.stripe.com" in page.headers["content-security-policy"]
    assert "client-secret.js" in page.text

    # the store's own payment list does not show what it pays the platform
    assert "pi_fake1" not in client.get("/store/bakery/payments?lang=en").text
    # a second click on "Pay by card" is the same payment
    again = client.post(f"/store/bakery/billing/invoices/{invoice.number}/pay", data={"csrf_token": paying[0]},
                        follow_redirects=False)
    assert again.status_code == 303 and len(fake.calls("/v1/payment_intents")) == 1  # the pending one, not asked again
    assert len(fake.intents) == 1
    db_session.rollback()
    assert db_session.query(Payment).count() == 1


def test_a_signed_webhook_marks_the_invoice_paid_once(client, db_session, shop, fake, paying):
    platform = shop[0]
    _, invoice = paying
    payload = succeeded("pi_fake1", invoice.total_cents)

    first = post_signed(client, platform_webhook_url(platform), payload)
    assert first.status_code == 200 and first.json()["changed"] is True

    paid = invoice_of(db_session, shop[1])
    assert (paid.status, paid.payment_method, paid.payment_note) == ("paid", "card", "pi_fake1")
    entries = list(db_session.scalars(select(AuditEntry).where(AuditEntry.action == "billing.invoice.paid")))
    assert [(e.target, e.details["method"]) for e in entries] == [(invoice.number, "card")]
    payment = db_session.scalar(select(Payment))
    assert (payment.status, payment.platform_id, payment.store_id) == ("succeeded", platform.id, shop[1].id)

    replay = post_signed(client, platform_webhook_url(platform), payload)
    assert replay.status_code == 200 and replay.json()["duplicate"] is True
    db_session.rollback()
    assert db_session.query(AuditEntry).filter(AuditEntry.action == "billing.invoice.paid").count() == 1

    page = client.get(f"/store/bakery/billing/invoices/{invoice.number}?lang=en").text
    assert "pay-by-card" not in page


def test_a_forged_or_foreign_webhook_changes_nothing(client, db_session, shop, fake, paying):
    platform = shop[0]
    _, invoice = paying
    payload = succeeded("pi_fake1", invoice.total_cents)

    forged = post_signed(client, platform_webhook_url(platform), payload, secret="whsec_someone_else")
    assert forged.status_code == 400
    # the store's own endpoint does not know payments to the platform
    store_url = f"/platforms/{platform.code}/storefront/bakery/api/v1/payments/webhooks/stripe"
    assert post_signed(client, store_url, payload).status_code in (200, 404)
    # another platform without an account
    assert post_signed(client, "/platforms/nowhere/api/v1/payments/webhooks/stripe", payload).status_code == 404

    assert invoice_of(db_session, shop[1]).status == "open"
    assert db_session.scalar(select(Payment.status)) == "pending"


def test_orders_ignores_a_subscription_payment_even_with_a_lookalike_order(client, db_session, shop, fake, paying, place):
    """An order awaiting payment with the invoice's number and total stays unpaid: the
    payment was the store's to the platform, not a shopper's."""
    platform, bakery, _ = shop
    _, invoice = paying
    order = place(bakery)
    db_session.execute(update(Order).where(Order.id == order.id).values(
        number=invoice.number, total_cents=invoice.total_cents, currency=invoice.currency))
    db_session.commit()
    status_before = db_session.scalar(select(Order.status).where(Order.id == order.id))

    assert post_signed(client, platform_webhook_url(platform), succeeded("pi_fake1", invoice.total_cents)).status_code == 200

    db_session.rollback()
    assert invoice_of(db_session, bakery).status == "paid"
    assert db_session.scalar(select(Order.status).where(Order.id == order.id)) == status_before


def test_without_a_platform_account_the_upgrade_goes_back_to_billing_and_no_button_shows(client, db_session, factories, shop, fake):
    csrf = factories.owner(client, shop[1])
    done = upgrade(client, csrf, "bakery")
    assert done.headers["location"] == "/store/bakery/billing?done=started"
    invoice = invoice_of(db_session, shop[1])
    assert "pay-by-card" not in client.get(f"/store/bakery/billing/invoices/{invoice.number}").text
    assert fake.calls("/v1/payment_intents") == []


def test_an_unreachable_provider_leaves_the_invoice_payable_by_transfer(client, db_session, factories, shop, fake):
    platform_takes_cards(db_session, shop[0])
    fake.stripe_decline = True
    csrf = factories.owner(client, shop[1])
    done = upgrade(client, csrf, "bakery")
    assert done.headers["location"] == "/store/bakery/billing?done=started"
    invoice = invoice_of(db_session, shop[1])
    page = client.post(f"/store/bakery/billing/invoices/{invoice.number}/pay?lang=en", data={"csrf_token": csrf})
    assert page.status_code == 200 and "could not be started" in page.text

    fake.stripe_decline = False  # the next try starts a new payment rather than repeating the failed one
    retried = client.post(f"/store/bakery/billing/invoices/{invoice.number}/pay", data={"csrf_token": csrf},
                          follow_redirects=False)
    assert retried.headers["location"] == f"/store/bakery/billing/invoices/{invoice.number}/pay"
    db_session.rollback()
    assert sorted(db_session.scalars(select(Payment.status))) == ["failed", "failed", "pending"]
