"""Helpers of the catalog module's tests."""

from __future__ import annotations

from typing import Any

import pytest

from modules.catalog.services import catalog_service
from orion_server.modules.service import module_service


@pytest.fixture
def shop(factories, db_session):
    """A platform with the catalog on and a French store (also German and English)."""
    platform = factories.platform(code="lux")
    module_service.enable_module(db_session, platform.id, "catalog")
    store = factories.store(
        platform, code="bakery", languages=["fr", "de", "en"], default_language="fr"
    )
    return platform, store


@pytest.fixture
def owner(client, factories, shop):
    """The signed-in owner of the store; returns the CSRF token."""
    return factories.login(client, factories.staff(shop[1], role="owner"))


@pytest.fixture
def make_product(db_session):
    """Create a product: ``make_product(store, "slug", fr="Titre", price=250, ...)``."""

    def make(
        store: Any,
        slug: str,
        *,
        titles: dict[str, str] | None = None,
        descriptions: dict[str, str] | None = None,
        price: int = 250,
        sku: str | None = None,
        variants: list[dict[str, Any]] | None = None,
        status: str = "published",
        **fields: Any,
    ):
        titles = titles or {store.default_language: slug.replace("-", " ").title()}
        descriptions = descriptions or {}
        translations = {
            lang: {"title": title, "description": descriptions.get(lang, "")}
            for lang, title in titles.items()
        }
        return catalog_service.create_product(
            db_session,
            store_id=store.id,
            slug=slug,
            translations=translations,
            variants=variants or [{"sku": sku or slug.upper()[:60], "options": {}}],
            price_cents=price,
            status=status,
            **fields,
        )

    return make


def storefront(platform: Any, store: Any, path: str = "") -> str:
    """The path-mode URL of a page of ``store``'s storefront."""
    return f"/platforms/{platform.code}/storefront/{store.code}/{path}"
