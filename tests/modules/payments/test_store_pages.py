"""The store dashboard: gateway settings (secrets never shown) and the payments list."""

from __future__ import annotations

from modules.payments.models import Payment, StorePaymentSettings
from modules.payments.services.settings_service import settings_service
from tests.modules.payments import fakes
from tests.modules.payments.conftest import start

SECRETS = (fakes.STRIPE_SECRET_KEY, fakes.STRIPE_WEBHOOK_SECRET, fakes.PAYPAL_CLIENT_SECRET)


def stripe_form(csrf: str, **fields: str) -> dict[str, str]:
    data = {
        "csrf_token": csrf,
        "enabled": "1",
        "publishable_key": "pk_test_fake_public",
        "secret_key": fakes.STRIPE_SECRET_KEY,
        "webhook_secret": fakes.STRIPE_WEBHOOK_SECRET,
    }
    data.update(fields)
    return data


def _settings(db, store, gateway) -> StorePaymentSettings:
    db.rollback()
    db.expire_all()
    return db.query(StorePaymentSettings).filter_by(store_id=store.id, gateway=gateway).one()


def test_the_settings_page_lists_every_gateway(client, shop, owner):
    """Bank transfer, cash on pickup, Stripe and PayPal each have a form; the menu links here."""
    html = client.get("/store/bakery/payments/settings?lang=en").text

    for name in ("Bank transfer", "Cash on pickup", "Card (Stripe)", "PayPal"):
        assert name in html
    assert 'href="/store/bakery/payments/settings" class="active"' in html
    assert "/platforms/lux/storefront/bakery/api/v1/payments/webhooks/stripe" in html


def test_saved_secrets_never_appear_in_any_page(client, db_session, shop, owner, configure, fake):
    """After saving Stripe and PayPal keys, no page shows them, only that they are set."""
    response = client.post("/store/bakery/payments/settings/stripe?lang=en", data=stripe_form(owner),
                           follow_redirects=False)
    assert response.status_code == 303
    configure(shop[1], "paypal")
    start(db_session, shop[1], "stripe")

    pages = [
        client.get("/store/bakery/payments/settings?lang=en").text,
        client.get("/store/bakery/payments/settings?lang=de").text,
        client.get("/store/bakery/payments?lang=en").text,
        client.post("/store/bakery/payments/settings/stripe?lang=en",
                    data=stripe_form(owner, publishable_key="bad")).text,
    ]

    for html in pages:
        assert all(secret not in html for secret in SECRETS)
    assert pages[0].count("•••• set") == 3
    assert "pk_test_fake_public" in pages[0]


def test_an_empty_secret_field_keeps_the_stored_secret(client, db_session, shop, owner):
    """Saving again without typing the secrets keeps them; typing one replaces it."""
    client.post("/store/bakery/payments/settings/stripe", data=stripe_form(owner))

    client.post("/store/bakery/payments/settings/stripe",
                data=stripe_form(owner, secret_key="", webhook_secret="whsec_new_one"))

    db_session.rollback()
    stored = settings_service.stored_settings(db_session, store_id=shop[1].id, code="stripe")  # decrypted
    assert stored["secret_key"] == fakes.STRIPE_SECRET_KEY
    assert stored["webhook_secret"] == "whsec_new_one"


def test_enabling_without_required_keys_shows_field_messages(client, db_session, shop, owner):
    """Missing or malformed keys re-render the form (422) with a message per field, keeping what was typed."""
    response = client.post(
        "/store/bakery/payments/settings/stripe?lang=en",
        data=stripe_form(owner, publishable_key="pk_typed_value", secret_key="", webhook_secret="nope"),
    )

    assert response.status_code == 422
    assert "This field is needed to turn the method on." in response.text
    assert "A webhook signing secret starts with whsec_." in response.text
    assert 'value="pk_typed_value"' in response.text
    assert "nope" not in response.text
    db_session.rollback()
    assert db_session.query(StorePaymentSettings).count() == 0


def test_an_invalid_iban_is_refused_in_the_shoppers_language(client, shop, owner):
    """The IBAN's check digits are verified; the message is in the dashboard's language."""
    response = client.post(
        "/store/bakery/payments/settings/bank_transfer?lang=fr",
        data={"csrf_token": owner, "enabled": "1", "account_holder": "Dupont", "iban": "LU00 0019 4006 4475 0000"},
    )

    assert response.status_code == 422
    assert "Cet IBAN n&#39;est pas valide" in response.text or "Cet IBAN n'est pas valide" in response.text


def test_the_payments_list_starts_empty_and_says_what_to_do(client, shop, owner):
    """Without gateways, the list invites the owner to set up payment methods."""
    html = client.get("/store/bakery/payments?lang=en").text

    assert "No payments yet." in html
    assert "Turn on at least one payment method" in html
    assert 'href="/store/bakery/payments/settings"' in html


def test_staff_mark_a_bank_transfer_paid_from_the_list(client, db_session, shop, owner, configure, heard):
    """The list shows the pending transfer in the dashboard's language; "Mark paid" settles it."""
    configure(shop[1], "bank_transfer")
    payment = start(db_session, shop[1], "bank_transfer", amount_cents=123_456, reference="2026-0099")

    html = client.get("/store/bakery/payments?lang=de").text
    assert "2026-0099" in html and "1.234,56" in html and "Zahlung ausstehend" in html

    response = client.post(f"/store/bakery/payments/{payment.id}/mark-paid", data={"csrf_token": owner},
                           follow_redirects=False)

    assert response.status_code == 303
    assert "Bezahlt" in client.get(response.headers["location"] + "&lang=de").text
    assert [status for status, _ in heard] == ["succeeded"]


def test_the_list_filters_by_status_and_paginates(client, db_session, shop, owner, configure):
    """Thirty payments span two pages; the status filter narrows them."""
    configure(shop[1], "cash_on_pickup")
    for n in range(30):
        start(db_session, shop[1], "cash_on_pickup", key=f"k{n}", reference=f"R-{n:03d}")

    first = client.get("/store/bakery/payments?lang=en").text
    second = client.get("/store/bakery/payments?page=2&lang=en").text
    filtered = client.get("/store/bakery/payments?status=succeeded&lang=en").text

    assert "R-029" in first and "R-000" not in first and "1 / 2" in first
    assert "R-000" in second
    assert "No payments with this status." in filtered


def test_a_refund_from_the_list_needs_the_refund_permission(client, db_session, factories, shop, configure):
    """Staff with payments.view only see no refund button and get 403 when posting."""
    configure(shop[1], "bank_transfer")
    payment = start(db_session, shop[1], "bank_transfer")
    from modules.payments.services import payment_service

    payment_service.mark_paid(db_session, payment_id=payment.id, store_id=shop[1].id)
    csrf = factories.login(client, factories.staff(shop[1], permissions=["payments.view"]))

    assert "/refund\"" not in client.get("/store/bakery/payments?lang=en").text
    response = client.post(f"/store/bakery/payments/{payment.id}/refund", data={"csrf_token": csrf})
    assert response.status_code == 403
    assert client.get("/store/bakery/payments/settings").status_code == 403


def test_an_owner_refunds_a_paid_payment_from_the_list(client, db_session, shop, owner, configure):
    """The refund button refunds the whole amount and says so."""
    configure(shop[1], "bank_transfer")
    payment = start(db_session, shop[1], "bank_transfer")
    from modules.payments.services import payment_service

    payment_service.mark_paid(db_session, payment_id=payment.id, store_id=shop[1].id)

    response = client.post(f"/store/bakery/payments/{payment.id}/refund?lang=en", data={"csrf_token": owner})

    assert "The payment was refunded." in response.text
    db_session.expire_all()
    assert db_session.get(Payment, payment.id).status == "refunded"


def test_staff_of_another_store_get_404(client, db_session, factories, shop, other_shop, configure):
    """The florist's staff cannot see the bakery's payments or settings, nor settle its payments."""
    configure(shop[1], "bank_transfer")
    payment = start(db_session, shop[1], "bank_transfer", reference="BAKERY-1")
    csrf = factories.login(client, factories.staff(other_shop[1], role="owner"))

    assert client.get("/store/bakery/payments").status_code == 404
    assert client.get("/store/bakery/payments/settings").status_code == 404
    assert "BAKERY-1" not in client.get("/store/florist/payments").text
    response = client.post(f"/store/florist/payments/{payment.id}/mark-paid", data={"csrf_token": csrf})
    assert response.status_code == 404
    db_session.expire_all()
    assert db_session.get(Payment, payment.id).status == "pending"


def test_settings_of_one_store_do_not_show_in_another(client, db_session, factories, shop, other_shop, configure):
    """The florist's settings page shows none of the bakery's values."""
    configure(shop[1], "bank_transfer")
    factories.login(client, factories.staff(other_shop[1], role="owner"))

    html = client.get("/store/florist/payments/settings?lang=en").text

    assert "Boulangerie Dupont SARL" not in html
    assert "•••• set" not in html
