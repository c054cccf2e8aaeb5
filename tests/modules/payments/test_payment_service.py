"""The payment service against the fake providers: starting, idempotency, offline, refunds."""

from __future__ import annotations

import threading

import pytest

from modules.payments.exceptions import GatewayFailedError, PaymentDeclinedError
from modules.payments.models import Payment
from modules.payments.services import payment_service
from orion_server.database import db as database
from orion_server.errors import ConflictError, NotFoundError, ValidationError
from tests.modules.payments import fakes
from tests.modules.payments.conftest import start


def _count(db) -> int:
    db.rollback()
    return db.query(Payment).count()


# -- offline gateways ---------------------------------------------------------------------------


def test_a_bank_transfer_waits_for_staff_to_mark_it_paid(db_session, shop, configure, heard, admin_user):
    """The payment stays pending with transfer instructions until mark_paid, which fires once."""
    store = shop[1]
    configure(store, "bank_transfer")

    payment = start(db_session, store, "bank_transfer", amount_cents=2_450, reference="2026-0042")

    assert payment.status == "pending"
    step = payment.next_step
    assert step.kind == "offline"
    assert step.instructions["iban"] == "LU280019400644750000"
    text = payment_service.instructions_text(step, "de")
    assert "24,50" in text and "2026-0042" in text and "Boulangerie Dupont SARL" in text
    assert heard == []

    paid = payment_service.mark_paid(db_session, payment_id=payment.id, store_id=store.id, actor=admin_user)
    again = payment_service.mark_paid(db_session, payment_id=payment.id, store_id=store.id, actor=admin_user)

    assert paid.status == again.status == "succeeded"
    assert paid.confirmed_by_id == admin_user.id
    assert [status for status, _ in heard] == ["succeeded"]
    assert heard[0][1].reference == "2026-0042"


def test_cash_on_pickup_is_pending_until_marked_paid(db_session, shop, configure):
    """Cash on pickup tells the shopper to pay at the counter and waits for staff."""
    store = shop[1]
    configure(store, "cash_on_pickup")

    payment = start(db_session, store, "cash_on_pickup")

    assert payment.status == "pending"
    assert "24.50" in payment_service.instructions_text(payment.next_step, "en")
    payment_service.mark_paid(db_session, payment_id=payment.id, store_id=store.id)
    assert payment_service.get_payment(db_session, store_id=store.id, payment_id=payment.id).status == "succeeded"


def test_only_offline_payments_are_marked_paid_by_hand(db_session, shop, configure, fake):
    """A card payment is confirmed by Stripe, never by staff."""
    store = shop[1]
    configure(store, "stripe")
    payment = start(db_session, store, "stripe")

    with pytest.raises(ValidationError):
        payment_service.mark_paid(db_session, payment_id=payment.id, store_id=store.id)


def test_another_stores_payment_cannot_be_marked_paid(db_session, shop, other_shop, configure):
    """Staff of one store get NotFound for another store's payment."""
    configure(shop[1], "bank_transfer")
    payment = start(db_session, shop[1], "bank_transfer")

    with pytest.raises(NotFoundError):
        payment_service.mark_paid(db_session, payment_id=payment.id, store_id=other_shop[1].id)


def test_a_gateway_that_is_not_enabled_cannot_be_used(db_session, shop):
    """Starting with a gateway the store has not turned on is a validation error on "gateway"."""
    with pytest.raises(ValidationError) as error:
        start(db_session, shop[1], "stripe")

    assert error.value.field == "gateway"


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"amount_cents": 0}, "amount_cents"), ({"reference": " "}, "reference"), ({"key": ""}, "idempotency_key"),
     ({"currency": "euro"}, "currency")],
)
def test_bad_start_input_names_the_field(db_session, shop, configure, changes, field):
    """Each rule broken at start is reported on its field, and nothing is stored."""
    configure(shop[1], "bank_transfer")

    with pytest.raises(ValidationError) as error:
        start(db_session, shop[1], "bank_transfer", **changes)

    assert error.value.field == field
    assert _count(db_session) == 0


# -- idempotency --------------------------------------------------------------------------------


def test_the_same_idempotency_key_returns_the_same_payment(db_session, shop, configure, fake):
    """Starting twice with one key makes one payment and one PaymentIntent."""
    configure(shop[1], "stripe")

    first = start(db_session, shop[1], "stripe", key="checkout-7")
    second = start(db_session, shop[1], "stripe", key="checkout-7")

    assert first.id == second.id
    assert second.next_step.client_secret == first.next_step.client_secret
    assert _count(db_session) == 1
    assert len(fake.calls("/v1/payment_intents")) == 1


def test_reusing_a_key_for_another_amount_is_a_conflict(db_session, shop, configure):
    """A key names one payment: other details with the same key are refused."""
    configure(shop[1], "bank_transfer")
    start(db_session, shop[1], "bank_transfer", key="k")

    with pytest.raises(ConflictError):
        start(db_session, shop[1], "bank_transfer", key="k", amount_cents=999)


def test_concurrent_starts_with_one_key_make_one_payment(db_session, shop, configure, fake):
    """Eight simultaneous starts with one key all get the same payment and intent."""
    store = shop[1]
    configure(store, "stripe")
    results: list[tuple[int, str | None]] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def attempt() -> None:
        session = database.session()
        try:
            barrier.wait()
            payment = start(session, store, "stripe", key="double-click")
            results.append((payment.id, payment.provider_payment_id))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            session.close()

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert len(set(results)) == 1
    assert _count(db_session) == 1
    assert len(fake.intents) == 1


# -- Stripe -------------------------------------------------------------------------------------


def test_stripe_creates_a_payment_intent_with_the_idempotency_key(db_session, shop, configure, fake):
    """The intent is created form-encoded with amount, currency and key; the shopper gets its secret."""
    configure(shop[1], "stripe")

    payment = start(db_session, shop[1], "stripe", key="abc", customer_email="anna@example.com")

    call = fake.calls("/v1/payment_intents")[0]
    assert call.headers["content-type"].startswith("application/x-www-form-urlencoded")
    assert call.form()["amount"] == "2450"
    assert call.form()["currency"] == "eur"
    assert call.form()["metadata[reference]"] == "2026-0001"
    assert call.headers["idempotency-key"] == f"orion-{shop[1].id}-abc"
    assert payment.status == "pending"
    assert payment.provider_payment_id == "pi_fake1"
    assert payment.next_step.kind == "client_secret"
    assert payment.next_step.client_secret == "pi_fake1_secret_abc"
    assert payment.next_step.publishable_key == "pk_test_fake_public"


def test_a_declined_card_fails_the_payment(db_session, shop, configure, fake, heard):
    """Stripe's 402 card_declined is a PaymentDeclinedError; the payment is failed, once."""
    configure(shop[1], "stripe")
    fake.stripe_decline = True

    with pytest.raises(PaymentDeclinedError) as error:
        start(db_session, shop[1], "stripe", key="card")

    assert error.value.status == 402
    payment = db_session.query(Payment).one()
    assert payment.status == "failed"
    assert "declined" in payment.failure_message
    assert [status for status, _ in heard] == ["failed"]


def test_stripe_refusing_the_request_is_a_gateway_error(db_session, shop, configure, fake):
    """A 400 from Stripe (an amount too small) is a GatewayFailedError, not a crash."""
    configure(shop[1], "stripe")

    with pytest.raises(GatewayFailedError) as error:
        start(db_session, shop[1], "stripe", amount_cents=20)

    assert error.value.status == 502
    assert "at least" in error.value.message


def test_a_wrong_stripe_key_is_a_gateway_error_that_hides_the_key(db_session, shop, configure, fake):
    """Stripe's 401 becomes a gateway error whose message does not repeat the key."""
    configure(shop[1], "stripe", secret_key="sk_test_wrong_key_123")

    with pytest.raises(GatewayFailedError) as error:
        start(db_session, shop[1], "stripe")

    assert "sk_test_wrong_key_123" not in error.value.message


def test_a_stripe_payment_is_refunded(db_session, shop, configure, fake, heard):
    """A succeeded Stripe payment refunded in full becomes refunded and fires once."""
    configure(shop[1], "stripe")
    payment = start(db_session, shop[1], "stripe")
    payment.status = "succeeded"
    db_session.commit()

    refunded = payment_service.refund(db_session, payment_id=payment.id, store_id=shop[1].id)

    assert refunded.status == "refunded"
    assert refunded.refunded_cents == 2_450
    assert fake.calls("/v1/refunds")[0].form() == {"payment_intent": "pi_fake1", "amount": "2450"}
    assert [status for status, _ in heard] == ["refunded"]
    with pytest.raises(ConflictError):
        payment_service.refund(db_session, payment_id=payment.id, store_id=shop[1].id)


def test_a_refund_holds_no_write_lock_while_the_provider_answers(db_session, shop, configure, fake, orion_engine):
    """On SQLite a shopper's write must go through while Stripe handles a refund (it can take
    two 20-second calls): the refund holds no transaction meanwhile (issue 10)."""
    from tests.support.sqlite_lock import another_writer_gets_in

    if orion_engine.dialect.name != "sqlite":
        pytest.skip("the write lock is SQLite's")
    configure(shop[1], "stripe")
    payment = start(db_session, shop[1], "stripe")
    payment.status = "succeeded"
    db_session.commit()
    outcome = []

    fake.during_refund = lambda: outcome.append(another_writer_gets_in(orion_engine))
    payment_service.refund(db_session, payment_id=payment.id, store_id=shop[1].id, amount_cents=1_000)
    assert outcome == ["written"]


def test_a_refund_retried_after_a_failed_record_refunds_once(db_session, shop, configure, fake, monkeypatch):
    """The provider refunded but recording it failed: the retry sends the same idempotency key,
    so the money goes back once and is recorded once (issue 10)."""
    configure(shop[1], "stripe")
    payment = start(db_session, shop[1], "stripe")
    payment.status = "succeeded"
    db_session.commit()
    real = payment_service._record_refund
    failures = iter([RuntimeError("the disk was full")])

    def record_once_failing(db, paid, amount):
        error = next(failures, None)
        if error is not None:
            raise error
        return real(db, paid, amount)

    monkeypatch.setattr(payment_service, "_record_refund", record_once_failing)
    with pytest.raises(RuntimeError):
        payment_service.refund(db_session, payment_id=payment.id, store_id=shop[1].id, amount_cents=1_000)
    again = payment_service.refund(db_session, payment_id=payment.id, store_id=shop[1].id, amount_cents=1_000)

    assert fake.refunds == [1_000]
    assert again.refunded_cents == 1_000 and again.status == "succeeded"
    keys = {call.headers.get("idempotency-key") for call in fake.calls("/v1/refunds")}
    assert len(fake.calls("/v1/refunds")) == 2 and len(keys) == 1


def test_a_partial_refund_keeps_the_payment_paid(db_session, shop, configure):
    """Refunding part of a payment records the amount; the rest can still be refunded."""
    configure(shop[1], "bank_transfer")
    payment = start(db_session, shop[1], "bank_transfer")
    payment_service.mark_paid(db_session, payment_id=payment.id, store_id=shop[1].id)

    partial = payment_service.refund(db_session, payment_id=payment.id, store_id=shop[1].id, amount_cents=450)

    assert partial.status == "succeeded"
    assert partial.refundable_cents == 2_000
    with pytest.raises(ValidationError):
        payment_service.refund(db_session, payment_id=payment.id, store_id=shop[1].id, amount_cents=2_001)


# -- PayPal -------------------------------------------------------------------------------------


def test_paypal_creates_an_order_and_captures_it(db_session, shop, configure, fake, heard):
    """The shopper is sent to PayPal's approval page; the capture makes the payment succeed."""
    configure(shop[1], "paypal")

    payment = start(
        db_session, shop[1], "paypal", return_url="https://shop/return", cancel_url="https://shop/cancel"
    )

    order_call = fake.calls("/v2/checkout/orders")[0]
    body = order_call.json()
    assert body["intent"] == "CAPTURE"
    assert body["purchase_units"][0]["amount"] == {"currency_code": "EUR", "value": "24.50"}
    assert body["payment_source"]["paypal"]["experience_context"]["return_url"] == "https://shop/return"
    assert order_call.headers["paypal-request-id"] == f"orion-{shop[1].id}-k-1"
    assert payment.next_step.kind == "redirect"
    assert payment.next_step.redirect_url.endswith(f"token={payment.provider_payment_id}")

    captured = payment_service.capture(db_session, store_id=shop[1].id, payment_id=payment.id)

    assert captured.status == "succeeded"
    assert captured.provider_capture_id == f"CAP-{payment.provider_payment_id}"
    assert [status for status, _ in heard] == ["succeeded"]

    refunded = payment_service.refund(db_session, payment_id=payment.id, store_id=shop[1].id)
    assert refunded.status == "refunded"
    assert fake.calls("/v2/payments/captures/")[0].path == f"/v2/payments/captures/{captured.provider_capture_id}/refund"


def test_a_declined_paypal_capture_fails_the_payment(db_session, shop, configure, fake, heard):
    """PayPal's 422 INSTRUMENT_DECLINED on capture fails the payment with PayPal's reason."""
    configure(shop[1], "paypal")
    payment = start(db_session, shop[1], "paypal")
    fake.paypal_decline_capture = True

    failed = payment_service.capture(db_session, store_id=shop[1].id, payment_id=payment.id)

    assert failed.status == "failed"
    assert "declined" in failed.failure_message
    assert [status for status, _ in heard] == ["failed"]


def test_wrong_paypal_credentials_are_a_gateway_error(db_session, shop, configure, fake):
    """PayPal's 401 on the token request becomes a gateway error without the secret."""
    configure(shop[1], "paypal", client_secret="not-the-secret")

    with pytest.raises(GatewayFailedError) as error:
        start(db_session, shop[1], "paypal")

    assert "not-the-secret" not in error.value.message
    assert fakes.PAYPAL_CLIENT_SECRET not in error.value.message


def test_secrets_never_reach_the_logs(db_session, shop, configure, fake, caplog):
    """Starting, declining and refunding payments logs nothing of the stores' keys."""
    import logging

    caplog.set_level(logging.DEBUG)
    configure(shop[1], "stripe")
    configure(shop[1], "paypal")
    start(db_session, shop[1], "stripe", key="a")
    paypal = start(db_session, shop[1], "paypal", key="b")
    payment_service.capture(db_session, store_id=shop[1].id, payment_id=paypal.id)
    fake.stripe_decline = True
    with pytest.raises(PaymentDeclinedError):
        start(db_session, shop[1], "stripe", key="c")

    logged = caplog.text
    for secret in (fakes.STRIPE_SECRET_KEY, fakes.STRIPE_WEBHOOK_SECRET, fakes.PAYPAL_CLIENT_SECRET):
        assert secret not in logged


def test_the_demo_turns_on_the_offline_gateways_once(db_session, shop):
    """Demo stores take bank transfers and cash on pickup; loading again changes nothing."""
    from modules.payments.demo import load_demo
    from modules.payments.services import settings_service

    first = load_demo(db_session, shop[0], [shop[1]])
    second = load_demo(db_session, shop[0], [shop[1]])

    enabled = [view.code for view in settings_service.enabled_gateways(db_session, store_id=shop[1].id)]
    assert enabled == ["bank_transfer", "cash_on_pickup"]
    assert len(first) == 1 and second == []
