"""Fixtures of the integration tests: a platform ``lux`` with orders and inventory on, the
modules' hooks registered (and put back as they were after each test), a signed-in owner."""

from __future__ import annotations

from typing import Any

import pytest

from modules.contracts import commerce_events
from modules.contracts.payment_gateway import payment_events
from modules.customers import protocols
from modules.inventory import integrations as inventory_integrations
from modules.inventory.services import low_stock_listeners
from modules.messaging import integrations as messaging_integrations
from modules.orders import integrations as orders_integrations
from modules.orders.services import order_service, status_listeners
from orion_server.modules.service import module_service
from tests.modules.payments.conftest import _fake_server, configure, fake  # noqa: F401 (fixtures)

BREAD = {"sku": "BD-BAGUETTE", "title": "Baguette tradition", "quantity": 2, "unit_price_cents": 150, "vat_rate": 3}
CAKE = {"sku": "BD-QUETSCH", "title": "Quetschentaart", "quantity": 1, "unit_price_cents": 1850, "vat_rate": 3}


@pytest.fixture(autouse=True)
def hooks():
    """The wiring as the server's start-up makes it; the hook lists are restored afterwards."""
    saved = (
        list(status_listeners),
        list(protocols.order_stats_providers),
        list(low_stock_listeners),
        payment_events.listeners(),
        list(commerce_events.order_placed_listeners),
        list(commerce_events.staff_notice_listeners),
    )
    orders_integrations.register_hooks()
    inventory_integrations.register_hooks()
    messaging_integrations.register_hooks()
    yield
    commerce_events.order_placed_listeners[:] = saved[4]
    commerce_events.staff_notice_listeners[:] = saved[5]
    status_listeners[:] = saved[0]
    protocols.order_stats_providers[:] = saved[1]
    low_stock_listeners[:] = saved[2]
    for listener in payment_events.listeners():
        if not any(listener is kept for kept in saved[3]):
            payment_events.unsubscribe(listener)


@pytest.fixture
def shop(factories, db_session):
    """Platform ``lux`` with orders and inventory on; stores ``bakery`` and ``books``."""
    platform = factories.platform(code="lux")
    for code in ("orders", "inventory"):
        module_service.enable_module(db_session, platform.id, code)
    bakery = factories.store(
        platform, code="bakery", name="Boulangerie Dupont", languages=["fr", "de", "en"], default_language="fr"
    )
    books = factories.store(platform, code="books", name="Librairie", languages=["de", "fr", "en"], default_language="de")
    return platform, bakery, books


@pytest.fixture
def owner(client, factories, shop):
    """The signed-in owner of the bakery; returns the CSRF token."""
    return factories.login(client, factories.staff(shop[1], role="owner"))


@pytest.fixture
def place(db_session):
    """Place an order: ``place(store, **overrides)`` (two baguettes by default)."""

    def make(store: Any, **overrides: Any):
        fields: dict[str, Any] = {
            "store_id": store.id,
            "lines": [BREAD],
            "customer": {"email": "marie@example.lu", "name": "Marie Weber", "language": "de"},
            "shipping": {"code": "flat", "label": "Livraison", "price_cents": 490, "vat_rate": 17},
            "payment_method": "bank_transfer",
        }
        fields.update(overrides)
        return order_service.create_order(db_session, **fields)

    return make
