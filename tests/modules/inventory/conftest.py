"""Fixtures of the inventory tests: a platform with inventory on and two stores."""

from __future__ import annotations

from typing import Any

import pytest

from modules.contracts.events import StaffNotice
from modules.inventory.services import inventory_service
from orion_server.i18n import t
from orion_server.modules.service import module_service
from orion_server.testing.events import announced


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


def low_stock_notice(store: Any, sku: str, available: int) -> tuple[int, str, str]:
    """A low-stock notice as ``low_stock_notices`` lists it, worded in the store's language."""
    language = store.default_language
    return (
        store.id,
        t("inventory.notify.low_stock", language, sku=sku),
        t("inventory.notify.low_stock_body", language, sku=sku, available=available),
    )


@pytest.fixture
def low_stock_notices(db_session):
    """``low_stock_notices()``: the low-stock staff notices announced so far, oldest first."""

    def read() -> list[tuple[int, str, str]]:
        return [
            (n.store_id, n.title, n.body)
            for n in announced(db_session, StaffNotice)
            if n.kind == "low_stock"
        ]

    return read


@pytest.fixture
def owner_csrf(client, factories, shop) -> str:
    """The bakery's owner signed in on ``client`` with English pages; the CSRF token."""
    client.cookies.set("orion_lang", "en")
    return factories.login(client, factories.staff(shop, role="owner"))


def level(db: Any, item: Any) -> tuple[int, int]:
    """``(on_hand, reserved)`` of an item, read fresh."""
    db.refresh(item)
    return item.on_hand, item.reserved
