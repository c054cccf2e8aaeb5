"""Helpers of the cart module's tests: a shop with catalog and cart on, products with stock."""

from __future__ import annotations

from typing import Any

import pytest

from orion_server.modules.service import module_service


@pytest.fixture
def shop(factories, db_session):
    """A platform with catalog and cart on and an English store."""
    platform = factories.platform(code="lux")
    module_service.enable_module(db_session, platform.id, "catalog")
    module_service.enable_module(db_session, platform.id, "cart")
    store = factories.store(platform, code="bakery", languages=["en", "de"], default_language="en")
    return platform, store


@pytest.fixture
def make_product(factories):
    """``make_product(store, "bread", price=350, stock=5)``: a published one-variant product."""

    def make(store: Any, slug: str, *, price: int = 350, stock: int = 5, title: str | None = None):
        return factories.product(store, slug, price=price, stock=stock, titles={"en": title or slug.title()},
                                 sku=slug.upper())

    return make


def storefront(platform: Any, store: Any, path: str = "") -> str:
    """The path-mode URL of a page of ``store``'s storefront."""
    return f"/platforms/{platform.code}/storefront/{store.code}/{path}"


def csrf(client: Any, platform: Any, store: Any) -> str:
    """Open the cart page so the client holds a CSRF cookie; return the token."""
    client.get(storefront(platform, store, "cart?lang=en"))
    return client.cookies.get("orion_csrf")
