"""Helpers of the catalog module's tests."""

from __future__ import annotations

from typing import Any

import pytest

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
def make_product(factories):
    """Create a product: ``make_product(store, "slug", titles={"fr": "Titre"}, price=250, ...)``."""
    return factories.product


def storefront(platform: Any, store: Any, path: str = "") -> str:
    """The path-mode URL of a page of ``store``'s storefront."""
    return f"/platforms/{platform.code}/storefront/{store.code}/{path}"
