"""Helpers of the Customers module's tests."""

from __future__ import annotations

from typing import Any

import pytest

from modules.customers.services import customer_service
from orion_server.modules.service import module_service

PASSWORD = "a-long-secret-1"


@pytest.fixture
def shop(factories, db_session):
    """A platform ``lux`` with two stores, ``bakery`` and ``books`` (customers enabled)."""
    platform = factories.platform(code="lux")
    module_service.enable_module(db_session, platform.id, "customers")
    bakery = factories.store(
        platform, code="bakery", languages=["fr", "de", "en"], default_language="fr"
    )
    books = factories.store(
        platform, code="books", languages=["de", "fr", "en"], default_language="de"
    )
    return platform, bakery, books


def sf(store: Any, path: str = "") -> str:
    """The path-mode URL of a page of ``store``'s storefront (platform ``lux``)."""
    return f"/platforms/lux/storefront/{store.code}/{path}"


def anonymous_csrf(client: Any, store: Any) -> str:
    """The double-submit CSRF token of an anonymous visitor (from the ``orion_csrf`` cookie)."""
    if "orion_csrf" not in client.cookies:
        client.get(sf(store, "account/login"))
    return client.cookies["orion_csrf"]


def make_customer(db: Any, store: Any, email: str = "anna@example.com", **fields: Any):
    """A registered customer of ``store`` (password ``PASSWORD``)."""
    fields.setdefault("first_name", "Anna")
    fields.setdefault("last_name", "Muller")
    return customer_service.register(
        db, store_id=store.id, email=email, password=fields.pop("password", PASSWORD), **fields
    )


def sign_in(client: Any, store: Any, email: str = "anna@example.com", password: str = PASSWORD):
    """Sign in through the storefront's login form; returns the response (303 on success)."""
    token = anonymous_csrf(client, store)
    return client.post(
        sf(store, "account/login"),
        data={"csrf_token": token, "email": email, "password": password},
        follow_redirects=False,
    )
