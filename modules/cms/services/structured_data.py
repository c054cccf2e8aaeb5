"""schema.org data of the store behind a storefront (JSON-LD on every storefront page): the
``Organization`` with its name, address and logo, and the ``WebSite`` it runs."""

from __future__ import annotations

from typing import Any

SCHEMA = "https://schema.org"


def organization_data(store: Any, *, site: str) -> dict[str, Any]:
    """The store as an ``Organization``: its name, its storefront and, when it has one, its logo."""
    data: dict[str, Any] = {"@context": SCHEMA, "@type": "Organization", "name": store.name, "url": site}
    if getattr(store, "logo_file", None):
        data["logo"] = f"{site}logo?v={store.logo_file}"
    return data


def website_data(store: Any, *, site: str, language: str) -> dict[str, Any]:
    """The storefront as a ``WebSite`` in the page's language."""
    return {"@context": SCHEMA, "@type": "WebSite", "name": store.name, "url": site, "inLanguage": language}
