"""The contracts the payments module offers: the gateway protocol and the event registry."""

from __future__ import annotations

import pytest

from modules.contracts.payment_gateway import (
    PaymentEvents,
    PaymentGateway,
    PaymentInfo,
    PaymentStart,
)
from modules.payments.gateways import GATEWAYS
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


def test_listeners_hear_only_the_statuses_they_asked_for():
    """A listener subscribed to "succeeded" is not called for a failure; unsubscribing stops it."""
    events = PaymentEvents()
    heard = []
    listener = events.subscribe(lambda db, p: heard.append(p.status), statuses=("succeeded",))
    info = PaymentInfo(1, 1, "R-1", "stripe", 100, "EUR", "failed")

    events.emit(None, info)
    events.emit(None, PaymentInfo(1, 1, "R-1", "stripe", 100, "EUR", "succeeded"))
    events.unsubscribe(listener)
    events.emit(None, PaymentInfo(1, 1, "R-1", "stripe", 100, "EUR", "succeeded"))

    assert heard == ["succeeded"]


def test_unknown_event_statuses_are_refused():
    """Subscribing to a status that never fires is a mistake, said at once."""
    with pytest.raises(ValueError):
        PaymentEvents().subscribe(lambda db, p: None, statuses=("shipped",))


def test_a_payment_start_survives_a_round_trip_through_json():
    """What is stored of a start reads back the same."""
    start = PaymentStart(kind="redirect", provider_payment_id="ORDER-1", redirect_url="https://x/y")

    assert PaymentStart.from_dict(start.to_dict()) == start
