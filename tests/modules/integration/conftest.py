"""Fixtures of the integration tests: a platform ``lux`` with orders and inventory on (their
listeners and providers, declared in the definitions, work there), a signed-in owner."""

from __future__ import annotations

from typing import Any

import pytest

from modules.orders.services import order_service
from orion_server.modules.service import module_service
from tests.modules.payments.conftest import _fake_server, configure, fake  # noqa: F401 (fixtures)

BREAD = {"sku": "BD-BAGUETTE", "title": "Baguette tradition", "quantity": 2, "unit_price_cents": 150, "vat_rate": 3}
CAKE = {"sku": "BD-QUETSCH", "title": "Quetschentaart", "quantity": 1, "unit_price_cents": 1850, "vat_rate": 3}


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
