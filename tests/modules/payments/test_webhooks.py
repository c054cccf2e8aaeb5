"""Provider webhooks through HTTP: verified on the raw body, applied once, forgeries refused."""

from __future__ import annotations

import json
import time

import pytest

from modules.payments.models import Payment, PaymentEventSeen
from tests.modules.payments import fakes
from tests.modules.payments.conftest import start, webhook_url


def stripe_event(intent_id: str, kind: str = "payment_intent.succeeded", event_id: str = "evt_1",
                 **obj: object) -> bytes:
    """A Stripe event as Stripe sends it (compact JSON)."""
    body = {
        "id": event_id,
        "object": "event",
        "type": kind,
        "created": int(time.time()),
        "data": {"object": {"id": intent_id, "object": "payment_intent", "amount_received": 2450, **obj}},
    }
    return json.dumps(body).encode()


def post_stripe(client, url: str, payload: bytes, signature: str | None = None):
    headers = {"Content-Type": "application/json"}
    headers["Stripe-Signature"] = signature if signature is not None else fakes.stripe_signature(payload)
    return client.post(url, content=payload, headers=headers)


def _fresh(db, payment_id: int) -> Payment:
    db.rollback()
    db.expire_all()
    return db.get(Payment, payment_id)


def _status(db, payment_id: int) -> str:
    return _fresh(db, payment_id).status


@pytest.fixture
def stripe_payment(db_session, shop, configure, fake):
    """A pending Stripe payment of the bakery."""
    configure(shop[1], "stripe")
    return start(db_session, shop[1], "stripe")


def test_a_stripe_webhook_replayed_ten_times_changes_the_payment_once(client, db_session, shop, stripe_payment, heard):
    """Ten deliveries of one signed event: all 200, one status change, one listener call."""
    url = webhook_url(*shop, "stripe")
    payload = stripe_event(stripe_payment.provider_payment_id)

    responses = [post_stripe(client, url, payload) for _ in range(10)]

    assert [r.status_code for r in responses] == [200] * 10
    assert responses[0].json()["changed"] is True
    assert all(r.json()["duplicate"] for r in responses[1:])
    assert _status(db_session, stripe_payment.id) == "succeeded"
    assert [status for status, _ in heard] == ["succeeded"]
    assert db_session.query(PaymentEventSeen).count() == 1


def test_stores_sharing_a_provider_account_each_handle_its_event(
    client, db_session, shop, other_shop, configure, fake, heard
):
    """Stripe sends each event to every endpoint of the account: the florist's endpoint hearing
    the bakery's event first must not make the bakery's delivery a "duplicate" (issue 10)."""
    configure(shop[1], "stripe")
    configure(other_shop[1], "stripe")  # the same account: the same signing secret
    payment = start(db_session, shop[1], "stripe")
    payload = stripe_event(payment.provider_payment_id, event_id="evt_shared")

    florist = post_stripe(client, webhook_url(*other_shop, "stripe"), payload)
    bakery = post_stripe(client, webhook_url(*shop, "stripe"), payload)

    assert florist.status_code == 200 and florist.json()["changed"] is False
    assert bakery.status_code == 200 and bakery.json()["duplicate"] is False and bakery.json()["changed"] is True
    assert _status(db_session, payment.id) == "succeeded"
    assert post_stripe(client, webhook_url(*shop, "stripe"), payload).json()["duplicate"] is True


def test_a_tampered_stripe_webhook_is_refused_and_changes_nothing(client, db_session, shop, stripe_payment, heard):
    """A body altered after signing gets 400; the payment stays pending and no event is recorded."""
    url = webhook_url(*shop, "stripe")
    payload = stripe_event(stripe_payment.provider_payment_id)
    signature = fakes.stripe_signature(payload)
    tampered = payload.replace(b"2450", b"9999")

    response = post_stripe(client, url, tampered, signature)

    assert response.status_code == 400
    assert response.json()["error"] == "webhook_rejected"
    assert _status(db_session, stripe_payment.id) == "pending"
    assert db_session.query(PaymentEventSeen).count() == 0
    assert heard == []


def test_a_stale_stripe_webhook_is_refused_and_changes_nothing(client, db_session, shop, stripe_payment, heard):
    """A correctly signed event from longer ago than the tolerance gets 400."""
    url = webhook_url(*shop, "stripe")
    payload = stripe_event(stripe_payment.provider_payment_id)
    stale = fakes.stripe_signature(payload, timestamp=int(time.time()) - 3600)

    response = post_stripe(client, url, payload, stale)

    assert response.status_code == 400
    assert _status(db_session, stripe_payment.id) == "pending"
    assert heard == []


@pytest.mark.parametrize("signature", ["", "t=1,v1=deadbeef", "garbage"])
def test_unsigned_or_wrongly_signed_stripe_webhooks_are_refused(client, db_session, shop, stripe_payment, signature):
    """No signature, a wrong one or an unreadable one: 400."""
    payload = stripe_event(stripe_payment.provider_payment_id)

    response = post_stripe(client, webhook_url(*shop, "stripe"), payload, signature)

    assert response.status_code == 400
    assert _status(db_session, stripe_payment.id) == "pending"


def test_a_signature_made_with_another_secret_is_refused(client, db_session, shop, stripe_payment):
    """An event signed with someone else's secret gets 400."""
    payload = stripe_event(stripe_payment.provider_payment_id)

    response = post_stripe(
        client, webhook_url(*shop, "stripe"), payload, fakes.stripe_signature(payload, secret="whsec_other")
    )

    assert response.status_code == 400


def test_a_failed_stripe_payment_is_recorded_with_its_reason(client, db_session, shop, stripe_payment, heard):
    """payment_intent.payment_failed fails the payment with Stripe's message."""
    payload = stripe_event(
        stripe_payment.provider_payment_id,
        "payment_intent.payment_failed",
        last_payment_error={"code": "card_declined", "message": "Your card was declined."},
    )

    assert post_stripe(client, webhook_url(*shop, "stripe"), payload).status_code == 200

    payment = _fresh(db_session, stripe_payment.id)
    assert payment.status == "failed"
    assert payment.failure_message == "Your card was declined."
    assert [status for status, _ in heard] == ["failed"]


def test_a_charge_refunded_in_full_refunds_the_payment(client, db_session, shop, stripe_payment, heard):
    """After success, charge.refunded for the whole amount makes the payment refunded."""
    url = webhook_url(*shop, "stripe")
    post_stripe(client, url, stripe_event(stripe_payment.provider_payment_id))
    refund = json.dumps({
        "id": "evt_2", "object": "event", "type": "charge.refunded",
        "data": {"object": {"id": "ch_1", "object": "charge", "payment_intent": stripe_payment.provider_payment_id,
                            "amount_refunded": 2450}},
    }).encode()

    assert post_stripe(client, url, refund).status_code == 200

    assert _status(db_session, stripe_payment.id) == "refunded"
    assert [status for status, _ in heard] == ["succeeded", "refunded"]


def test_another_stores_webhook_url_cannot_touch_this_stores_payment(
    client, db_session, shop, other_shop, configure, stripe_payment, heard
):
    """A genuine event sent to another store's URL finds no payment there and changes nothing."""
    configure(other_shop[1], "stripe")
    payload = stripe_event(stripe_payment.provider_payment_id)

    response = post_stripe(client, webhook_url(*other_shop, "stripe"), payload)

    assert response.status_code == 200
    assert response.json()["changed"] is False
    assert _status(db_session, stripe_payment.id) == "pending"
    assert heard == []


def test_gateways_without_webhooks_answer_404(client, shop, configure):
    """Offline gateways, unknown gateways and unconfigured gateways have no webhook."""
    configure(shop[1], "bank_transfer")

    assert client.post(webhook_url(*shop, "bank_transfer"), content=b"{}").status_code == 404
    assert client.post(webhook_url(*shop, "bitcoin"), content=b"{}").status_code == 404
    assert client.post(webhook_url(*shop, "paypal"), content=b"{}").status_code == 404


# -- PayPal -------------------------------------------------------------------------------------


def paypal_event(event_type: str, event_id: str, resource: dict) -> dict:
    return {"id": event_id, "event_type": event_type, "resource_type": "capture", "resource": resource}


@pytest.fixture
def paypal_payment(db_session, shop, configure, fake):
    """A pending PayPal payment of the bakery (an order waiting for approval)."""
    configure(shop[1], "paypal")
    return start(db_session, shop[1], "paypal")


def _capture_completed(order_id: str, event_id: str = "WH-1") -> dict:
    return paypal_event(
        "PAYMENT.CAPTURE.COMPLETED",
        event_id,
        {"id": "CAP-77", "status": "COMPLETED", "amount": {"value": "24.50", "currency_code": "EUR"},
         "supplementary_data": {"related_ids": {"order_id": order_id}}},
    )


def test_a_verified_paypal_capture_webhook_marks_the_payment_paid_once(client, db_session, shop, paypal_payment, fake, heard):
    """PayPal confirms the signature; replays are duplicates; the listener hears one success."""
    event = _capture_completed(paypal_payment.provider_payment_id)
    body = json.dumps(event).encode()
    url = webhook_url(*shop, "paypal")

    responses = [client.post(url, content=body, headers=fakes.paypal_headers(event)) for _ in range(3)]

    assert [r.status_code for r in responses] == [200, 200, 200]
    payment = _fresh(db_session, paypal_payment.id)
    assert payment.status == "succeeded"
    assert payment.provider_capture_id == "CAP-77"
    assert [status for status, _ in heard] == ["succeeded"]
    verify = fake.calls("/v1/notifications/verify-webhook-signature")[0].json()
    assert verify["webhook_id"] == fakes.PAYPAL_WEBHOOK_ID


def test_a_tampered_paypal_webhook_is_refused(client, db_session, shop, paypal_payment, heard):
    """An event changed after PayPal signed it fails verification: 400, nothing changes."""
    event = _capture_completed(paypal_payment.provider_payment_id)
    headers = fakes.paypal_headers(event)
    event["resource"]["amount"]["value"] = "0.01"

    response = client.post(webhook_url(*shop, "paypal"), content=json.dumps(event).encode(), headers=headers)

    assert response.status_code == 400
    assert _status(db_session, paypal_payment.id) == "pending"
    assert heard == []


def test_a_stale_paypal_webhook_is_refused_without_asking_paypal(client, db_session, shop, paypal_payment, fake):
    """A transmission time older than the tolerance is refused before any call to PayPal."""
    event = _capture_completed(paypal_payment.provider_payment_id)
    headers = fakes.paypal_headers(event, transmission_time="2020-01-01T00:00:00Z")

    response = client.post(webhook_url(*shop, "paypal"), content=json.dumps(event).encode(), headers=headers)

    assert response.status_code == 400
    assert fake.calls("/v1/notifications/") == []
    assert _status(db_session, paypal_payment.id) == "pending"


def test_an_approved_paypal_order_is_captured_from_its_webhook(client, db_session, shop, paypal_payment, fake, heard):
    """CHECKOUT.ORDER.APPROVED makes payments capture the order, which succeeds once."""
    event = paypal_event("CHECKOUT.ORDER.APPROVED", "WH-APPROVED", {"id": paypal_payment.provider_payment_id})
    body = json.dumps(event).encode()
    url = webhook_url(*shop, "paypal")

    first = client.post(url, content=body, headers=fakes.paypal_headers(event))
    second = client.post(url, content=body, headers=fakes.paypal_headers(event))

    assert first.status_code == second.status_code == 200
    assert second.json()["duplicate"] is True
    assert _status(db_session, paypal_payment.id) == "succeeded"
    assert len(fake.calls(f"/v2/checkout/orders/{paypal_payment.provider_payment_id}/capture")) == 1
    assert [status for status, _ in heard] == ["succeeded"]


def test_a_pending_paypal_capture_is_not_paid_and_a_later_denial_fails_it(
    client, db_session, shop, paypal_payment, fake, heard
):
    """A PENDING capture (an eCheck, a review) is not money: the payment stays pending, and
    PAYMENT.CAPTURE.DENIED afterwards fails it; nobody heard "succeeded" (issue 10)."""
    from modules.payments.services import payment_service

    fake.paypal_capture_status = "PENDING"
    captured = payment_service.capture(db_session, store_id=shop[1].id, payment_id=paypal_payment.id)
    assert captured.status == "pending"
    denied = paypal_event("PAYMENT.CAPTURE.DENIED", "WH-DENIED", {
        "id": f"CAP-{paypal_payment.provider_payment_id}", "status": "DENIED",
        "amount": {"value": "24.50", "currency_code": "EUR"},
        "supplementary_data": {"related_ids": {"order_id": paypal_payment.provider_payment_id}},
    })
    response = client.post(webhook_url(*shop, "paypal"), content=json.dumps(denied).encode(),
                           headers=fakes.paypal_headers(denied))
    assert response.status_code == 200
    assert _status(db_session, paypal_payment.id) == "failed"
    assert [status for status, _ in heard] == ["failed"]


def test_paypal_cannot_be_switched_on_without_its_webhook_id(db_session, shop):
    """Without the webhook id no PayPal notification verifies, so approvals and refunds made at
    PayPal would never arrive: switching it on asks for it (issue 10)."""
    from modules.payments.services import settings_service
    from modules.payments.services.settings_service import SettingsInputError

    values = {"client_id": fakes.PAYPAL_CLIENT_ID, "client_secret": fakes.PAYPAL_CLIENT_SECRET, "webhook_id": ""}
    with pytest.raises(SettingsInputError) as refused:
        settings_service.save(db_session, store_id=shop[1].id, gateway="paypal", enabled=True, values=values)
    assert set(refused.value.field_messages("en")) == {"webhook_id"}


def test_a_paypal_event_about_no_payment_of_the_store_costs_no_call_to_paypal(client, db_session, shop, paypal_payment,
                                                                                fake):
    """Anyone can POST with PayPal's header names: an event about no payment of this store is
    ignored before verification, which costs two calls with the store's credentials (issue 10)."""
    calls_before = len(fake.requests)  # starting the payment spoke to PayPal
    for _ in range(5):
        bogus = _capture_completed("ORDER-NOT-OURS", event_id="WH-BOGUS")
        response = client.post(webhook_url(*shop, "paypal"), content=json.dumps(bogus).encode(),
                               headers=fakes.paypal_headers(bogus))
        assert response.status_code == 200 and response.json()["changed"] is False
    garbage = client.post(webhook_url(*shop, "paypal"), content=b"not json",
                          headers={"paypal-transmission-id": "x"})
    assert garbage.status_code == 200
    assert fake.requests[calls_before:] == []
    assert _status(db_session, paypal_payment.id) == "pending"
