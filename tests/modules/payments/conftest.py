"""Fixtures of the Payments tests: a shop, the fake providers, gateway settings, a listener."""

from __future__ import annotations

from typing import Any

import pytest

from modules.contracts.events import PaymentStatusChanged
from modules.payments.config import config
from modules.payments.services import settings_service
from orion_server.testing.events import Announced
from tests.modules.payments import fakes

BANK = {"account_holder": "Boulangerie Dupont SARL", "iban": "LU28 0019 4006 4475 0000", "bic": "BCEELULL"}
STRIPE = {
    "publishable_key": "pk_test_fake_public",
    "secret_key": fakes.STRIPE_SECRET_KEY,
    "webhook_secret": fakes.STRIPE_WEBHOOK_SECRET,
}
PAYPAL = {
    "client_id": fakes.PAYPAL_CLIENT_ID,
    "client_secret": fakes.PAYPAL_CLIENT_SECRET,
    "webhook_id": fakes.PAYPAL_WEBHOOK_ID,
}


@pytest.fixture(scope="session")
def _fake_server():
    fake, server = fakes.start_fake()
    yield fake, server
    server.shutdown()
    server.server_close()


@pytest.fixture
def fake(_fake_server, monkeypatch) -> fakes.FakeProviders:
    """The local fake of Stripe and PayPal, fresh for the test, with payments pointed at it."""
    fake, server = _fake_server
    fresh = fakes.FakeProviders(url=fake.url)
    server.fake = fresh
    monkeypatch.setattr(config, "stripe_api_base", fresh.url)
    monkeypatch.setattr(config, "paypal_api_base", fresh.url)
    return fresh


@pytest.fixture
def shop(factories):
    """A platform ``lux`` with the store ``bakery`` (payments is core, so it is on)."""
    platform = factories.platform(code="lux")
    store = factories.store(platform, code="bakery", languages=["fr", "de", "en"], default_language="fr")
    return platform, store


@pytest.fixture
def other_shop(factories, shop):
    """A second store on the same platform."""
    return shop[0], factories.store(shop[0], code="florist")


@pytest.fixture
def configure(db_session):
    """Turn a gateway on for a store: ``configure(store, "stripe", **overrides)``."""
    defaults = {"bank_transfer": BANK, "cash_on_pickup": {}, "stripe": STRIPE, "paypal": PAYPAL}

    def make(store: Any, gateway: str, **values: str):
        return settings_service.save(
            db_session,
            store_id=store.id,
            gateway=gateway,
            enabled=True,
            values={**defaults[gateway], **values},
        )

    return make


@pytest.fixture
def heard(db_session):
    """The payment changes announced during the test: a live list of ``(status, event)``."""
    return Announced(db_session, PaymentStatusChanged, lambda e: (e.status, e))


def webhook_url(platform: Any, store: Any, gateway: str) -> str:
    """The storefront webhook URL of ``gateway`` for ``store`` (path mode)."""
    return f"/platforms/{platform.code}/storefront/{store.code}/api/v1/payments/webhooks/{gateway}"


def start(db: Any, store: Any, gateway: str, *, key: str = "k-1", amount_cents: int = 2_450,
          reference: str = "2026-0001", **extra: Any):
    """Start a payment through the service with sensible defaults."""
    from modules.payments.services import payment_service

    return payment_service.start(
        db,
        store_id=store.id,
        gateway=gateway,
        amount_cents=amount_cents,
        reference=reference,
        idempotency_key=key,
        **extra,
    )
