"""Helpers of the Orders module's tests: a shop with orders on, and a quick way to place orders."""

from __future__ import annotations

import pytest

from orion_server.modules.service import module_service
from orion_server.testing.factories import ORDER_ADDRESS, ORDER_LINES

ALL_ORDER_PERMISSIONS = ["orders.view", "orders.edit", "orders.cancel", "orders.refund"]

BREAD, BOOK = ORDER_LINES
ADDRESS = ORDER_ADDRESS


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
def place(factories):
    """Place an order: ``place(store, lines=[...], **overrides)`` (bread and a book by default)."""
    return factories.order


