"""Helpers of the Orders module's tests: a shop with orders on, and a quick way to place orders."""

from __future__ import annotations

from typing import Any

import pytest

from modules.orders.services import order_service
from orion_server.modules.service import module_service

ALL_ORDER_PERMISSIONS = ["orders.view", "orders.edit", "orders.cancel", "orders.refund"]

BREAD = {"sku": "BREAD-1", "title": "Pain de campagne", "quantity": 2, "unit_price_cents": 1170, "vat_rate": 17}
BOOK = {"sku": "BOOK-1", "title": "De Klenge Prënz", "quantity": 3, "unit_price_cents": 515, "vat_rate": 3}
ADDRESS = {
    "name": "Marie Weber",
    "street": "12, rue de la Gare",
    "postal_code": "L-1611",
    "city": "Luxembourg",
    "country": "LU",
}


@pytest.fixture
def shop(factories, main_platform, db_session):
    """The main platform with orders on and one store, ``bakery`` (code prefix ``BAK``)."""
    module_service.enable_module(db_session, main_platform.id, "orders")
    store = factories.store(main_platform, code="bakery", name="Boulangerie Test", languages=["fr", "de", "en"])
    return main_platform, store


@pytest.fixture
def other_shop(factories, main_platform, shop):
    """A second store on the same platform, ``bookshop``."""
    return factories.store(main_platform, code="bookshop", name="Librairie Test")


@pytest.fixture
def place(db_session):
    """Place an order: ``place(store, lines=[...], **overrides)`` (bread and a book by default)."""

    def make(store: Any, **overrides: Any):
        fields: dict[str, Any] = {
            "store_id": store.id,
            "lines": [BREAD, BOOK],
            "customer": {"email": "marie@example.lu", "name": "Marie Weber", "language": "fr"},
            "addresses": {"shipping": ADDRESS},
            "shipping": {"code": "flat", "label": "Livraison", "price_cents": 500, "vat_rate": 17},
            "payment_method": "bank_transfer",
        }
        fields.update(overrides)
        return order_service.create_order(db_session, **fields)

    return make


@pytest.fixture
def owner(client, factories, shop):
    """The signed-in owner of the bakery; returns the CSRF token."""
    return factories.login(client, factories.staff(shop[1], role="owner"))
