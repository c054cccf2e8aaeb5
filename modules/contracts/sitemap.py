"""The addresses a storefront offers search engines, from the modules that own the pages.

A module whose pages a storefront shows (the catalog's products and categories, the content
module's pages) provides ``SitemapSource`` in its definition
(``provides={SitemapSource: ".sitemap:CatalogSitemap"}``); the content module gathers every
enabled source into the store's sitemaps (``sitemap_entries``), made again by a task when a
module announces ``StorefrontContentChanged`` (``modules.contracts.events``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from orion_server.providers import get_providers


@dataclass(frozen=True)
class SitemapEntry:
    """One page of a storefront, in every language of the store."""

    path: str
    """Relative to the storefront's root, without a leading slash: ``products/baguette``."""
    lastmod: datetime | None
    """When its content last changed (None: unknown)."""


@runtime_checkable
class SitemapSource(Protocol):
    """The public pages a module offers in one store's storefront."""

    def sitemap_entries(self, db: Any, *, platform_id: int, store_id: int) -> Iterable[SitemapEntry]:
        """Every page a shopper may reach without signing in (published, not deleted)."""
        ...


def sitemap_entries(db: Any, *, platform_id: int, store_id: int) -> list[SitemapEntry]:
    """The entries of every source enabled on the platform, each address once."""
    seen: dict[str, SitemapEntry] = {}
    for source in get_providers(db, SitemapSource, platform_id=platform_id):
        for entry in source.sitemap_entries(db, platform_id=platform_id, store_id=store_id):
            seen.setdefault(entry.path, entry)
    return list(seen.values())
