"""Gateway secrets at rest: encrypted in store_payment_settings, decrypted only to build a
gateway, never in a page or a log; payments_002 encrypts secrets saved in plaintext before it."""

from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy import text

from modules.payments.services import settings_service
from orion_server.errors import ValidationError
from orion_server.migrations import downgrade, upgrade
from orion_server.secrets_box import decrypt, encrypt, is_encrypted
from tests.modules.payments import fakes
from tests.modules.payments.conftest import PAYPAL, STRIPE, start

SECRETS = (fakes.STRIPE_SECRET_KEY, fakes.STRIPE_WEBHOOK_SECRET, fakes.PAYPAL_CLIENT_SECRET)


def raw_settings(db, store_id: int, gateway: str) -> dict:
    """The settings column as the database holds it (raw SQL, no ORM)."""
    db.rollback()
    value = db.execute(
        text("SELECT CAST(settings AS TEXT) FROM store_payment_settings WHERE store_id = :s AND gateway = :g"),
        {"s": store_id, "g": gateway},
    ).scalar_one()
    return json.loads(value)


def test_secrets_are_stored_encrypted_and_plain_settings_are_not(db_session, shop, configure):
    """Stripe's secret key and webhook secret, PayPal's client secret: fernet:v1:…; the
    publishable key and client id stay readable."""
    configure(shop[1], "stripe")
    configure(shop[1], "paypal")

    stripe = raw_settings(db_session, shop[1].id, "stripe")
    paypal = raw_settings(db_session, shop[1].id, "paypal")
    raw = json.dumps([stripe, paypal])
    assert all(secret not in raw for secret in SECRETS)
    assert is_encrypted(stripe["secret_key"]) and is_encrypted(stripe["webhook_secret"])
    assert is_encrypted(paypal["client_secret"])
    assert decrypt(stripe["secret_key"]) == fakes.STRIPE_SECRET_KEY
    assert stripe["publishable_key"] == "pk_test_fake_public"
    assert paypal["client_id"] == fakes.PAYPAL_CLIENT_ID


def test_the_gateway_is_built_with_the_decrypted_secret(db_session, shop, configure, fake, caplog):
    """A Stripe payment reaches the fake provider, which checks the plaintext secret key; no log
    line holds a secret."""
    caplog.set_level(logging.DEBUG)
    configure(shop[1], "stripe")

    payment = start(db_session, shop[1], "stripe")

    assert payment.provider_payment_id == "pi_fake1"  # the fake accepted the bearer key
    assert settings_service.stored_settings(db_session, store_id=shop[1].id, code="stripe") == STRIPE
    assert all(secret not in caplog.text for secret in SECRETS)


def test_pages_show_only_that_a_secret_is_set(client, factories, db_session, shop, configure):
    """The settings page shows "•••• set" and a field to replace it, never the value or its
    ciphertext."""
    configure(shop[1], "stripe")
    csrf = factories.login(client, factories.staff(shop[1], role="owner"))
    assert csrf
    stored = raw_settings(db_session, shop[1].id, "stripe")

    html = client.get("/store/bakery/payments/settings?lang=en").text

    assert "•••• set" in html
    assert all(secret not in html for secret in SECRETS)
    assert stored["secret_key"] not in html and stored["webhook_secret"] not in html


def test_saving_again_keeps_the_secret_encrypted(db_session, shop, configure):
    """An empty secret field keeps the stored secret (still encrypted, still the same value)."""
    configure(shop[1], "stripe")
    publishable = raw_settings(db_session, shop[1].id, "stripe")["publishable_key"]
    settings_service.save(
        db_session, store_id=shop[1].id, gateway="stripe", enabled=False,
        values={"publishable_key": publishable, "secret_key": "", "webhook_secret": ""},
    )

    stored = raw_settings(db_session, shop[1].id, "stripe")
    assert decrypt(stored["secret_key"]) == fakes.STRIPE_SECRET_KEY


def test_stored_keys_are_never_reused_for_another_account_nor_set_by_non_owners(db_session, shop, configure):
    """Another account named (a new publishable key) needs the secret typed again; a member
    who is not an owner may switch the gateway but never type a key (issue 10)."""
    from modules.payments.services.settings_service import SettingsInputError

    configure(shop[1], "stripe")
    other_account = {"publishable_key": "pk_test_someone_else", "secret_key": "", "webhook_secret": ""}
    with pytest.raises(SettingsInputError) as again:
        settings_service.save(db_session, store_id=shop[1].id, gateway="stripe", enabled=True, values=other_account)
    assert set(again.value.field_messages("en")) == {"secret_key", "webhook_secret"}
    with pytest.raises(SettingsInputError) as manager:
        settings_service.save(db_session, store_id=shop[1].id, gateway="stripe", enabled=True,
                              values={**other_account, "secret_key": "sk_test_mine"}, may_set_secrets=False)
    assert "owners" in manager.value.field_messages("en")["secret_key"]
    publishable = raw_settings(db_session, shop[1].id, "stripe")["publishable_key"]
    settings_service.save(db_session, store_id=shop[1].id, gateway="stripe", enabled=False, may_set_secrets=False,
                          values={"publishable_key": publishable, "secret_key": "", "webhook_secret": ""})
    assert decrypt(raw_settings(db_session, shop[1].id, "stripe")["secret_key"]) == fakes.STRIPE_SECRET_KEY


def test_a_changed_secret_key_is_a_clear_error(db_session, shop, configure):
    """Secrets encrypted with another installation key: the gateway is refused with a message
    that says why; the settings page data still loads (only "set" is shown)."""
    configure(shop[1], "stripe")
    foreign = {**STRIPE, "secret_key": encrypt(fakes.STRIPE_SECRET_KEY, secret_key="z" * 48)}
    db_session.execute(
        text("UPDATE store_payment_settings SET settings = :s WHERE gateway = 'stripe'"),
        {"s": json.dumps({**foreign, "webhook_secret": encrypt(fakes.STRIPE_WEBHOOK_SECRET)})},
    )
    db_session.commit()

    with pytest.raises(ValidationError, match="secret key changed"):
        settings_service.gateway_for(db_session, store_id=shop[1].id, code="stripe")
    view = next(v for v in settings_service.views(db_session, store_id=shop[1].id) if v.code == "stripe")
    assert view.secrets_set == {"secret_key", "webhook_secret"}


def test_the_migration_encrypts_plaintext_secrets_and_leaves_encrypted_ones(orion_engine, db_session, shop, configure):
    """Back at payments_001 (secrets decrypted), a row in plaintext and one already encrypted;
    upgrading encrypts the plaintext only."""
    configure(shop[1], "stripe")
    configure(shop[1], "paypal")
    db_session.close()

    downgrade(orion_engine, "payments_001")
    try:
        assert raw_settings(db_session, shop[1].id, "stripe") == STRIPE  # the downgrade decrypted
        already = {**PAYPAL, "client_secret": encrypt(fakes.PAYPAL_CLIENT_SECRET)}
        db_session.execute(
            text("UPDATE store_payment_settings SET settings = :s WHERE gateway = 'paypal'"),
            {"s": json.dumps(already)},
        )
        db_session.commit()
        db_session.close()
    finally:
        upgrade(orion_engine)

    stripe = raw_settings(db_session, shop[1].id, "stripe")
    assert is_encrypted(stripe["secret_key"]) and decrypt(stripe["secret_key"]) == fakes.STRIPE_SECRET_KEY
    assert is_encrypted(stripe["webhook_secret"]) and stripe["publishable_key"] == STRIPE["publishable_key"]
    assert raw_settings(db_session, shop[1].id, "paypal") == already
