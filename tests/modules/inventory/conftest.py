"""Fixtures of the inventory tests: a platform with inventory on and two stores."""

from __future__ import annotations

from typing import Any

import pytest

from modules.inventory.services import inventory_service, low_stock_listeners
from orion_server.modules.service import module_service


@pytest.fixture
def shop(db_session, factories, main_platform) -> Any:
    """Store "bakery" on the main platform, with the inventory module enabled."""
    module_service.enable_module(db_session, main_platform.id, "inventory")
    return factories.store(main_platform, code="bakery", name="Boulangerie")


@pytest.fixture
def other_shop(factories, main_platform, shop) -> Any:
    """A second store, "books", on the same platform."""
    return factories.store(main_platform, code="books", name="Librairie")


@pytest.fixture
def stock(db_session, shop):
    """``stock(sku, quantity, threshold=None)``: receive units of a SKU in the bakery."""

    def make(sku: str, quantity: int = 10, store: Any = None, **kwargs: Any):
        store_id = (store or shop).id
        if quantity:
            return inventory_service.receive(
                db_session, store_id=store_id, sku=sku, quantity=quantity, **kwargs
            )
        return inventory_service.ensure_item(db_session, store_id=store_id, sku=sku, **kwargs)

    return make


@pytest.fixture
def low_stock_calls():
    """Record the low-stock hook's calls for the duration of a test."""
    calls: list[tuple[int, str, int]] = []

    def listener(store_id: int, sku: str, available: int) -> None:
        calls.append((store_id, sku, available))

    low_stock_listeners.append(listener)
    yield calls
    low_stock_listeners.remove(listener)


@pytest.fixture
def owner_csrf(client, factories, shop) -> str:
    """The bakery's owner signed in on ``client`` with English pages; the CSRF token."""
    client.cookies.set("orion_lang", "en")
    return factories.login(client, factories.staff(shop, role="owner"))


def level(db: Any, item: Any) -> tuple[int, int]:
    """``(on_hand, reserved)`` of an item, read fresh."""
    db.refresh(item)
    return item.on_hand, item.reserved
