"""The contracts the payments module offers: the gateway protocol, and what it provides and
announces through its definition."""

from __future__ import annotations

import pytest

from modules.contracts.checkout_payments import CheckoutPayments
from modules.contracts.payment_gateway import PaymentGateway, PaymentStart
from modules.payments.gateways import GATEWAYS
from modules.payments.providers import PaymentsForCheckout
from orion_server.providers import get_provider
from tests.modules.payments.conftest import BANK, PAYPAL, STRIPE


@pytest.mark.parametrize("code", ["bank_transfer", "cash_on_pickup", "stripe", "paypal"])
def test_every_gateway_satisfies_the_protocol(code):
    """Each built gateway is a runtime-checkable PaymentGateway with its code and name key."""
    settings = {"bank_transfer": BANK, "cash_on_pickup": {}, "stripe": STRIPE, "paypal": PAYPAL}[code]
    gateway = GATEWAYS[code].from_settings(settings)

    assert isinstance(gateway, PaymentGateway)
    assert gateway.code == code
    assert gateway.label_key == f"payments.gateway.{code}"
    assert gateway.requires_staff_confirmation is (code in ("bank_transfer", "cash_on_pickup"))


def test_a_gateway_never_shows_its_keys_in_its_repr():
    """Printing a gateway (in a log or a traceback) reveals none of its secrets."""
    for code, settings in (("stripe", STRIPE), ("paypal", PAYPAL)):
        text = repr(GATEWAYS[code].from_settings(settings))
        assert all(secret not in text for secret in settings.values())


def test_payments_provide_checkout_on_every_platform(db_session, factories):
    """Payments is core: checkout finds its provider on a platform that turned nothing on."""
    platform = factories.platform(code="bare")

    provider = get_provider(db_session, CheckoutPayments, platform_id=platform.id)

    assert isinstance(provider, PaymentsForCheckout) and isinstance(provider, CheckoutPayments)


def test_a_payment_start_survives_a_round_trip_through_json():
    """What is stored of a start reads back the same."""
    start = PaymentStart(kind="redirect", provider_payment_id="ORDER-1", redirect_url="https://x/y")

    assert PaymentStart.from_dict(start.to_dict()) == start
