"""The addresses a storefront, and a platform, offer search engines, from the modules that own
the pages.

A module whose pages a storefront shows (the catalog's products and categories, the content
module's pages) provides ``SitemapSource`` in its definition
(``provides={SitemapSource: ".sitemap:CatalogSitemap"}``); the content module gathers every
enabled source into the store's sitemaps (``sitemap_entries``), made again by a task when a
module announces ``StorefrontContentChanged`` (``modules.contracts.events``).

A platform's own public pages (its home, the pricing page, its content pages) come the same
way from ``PlatformSitemapSource`` (``platform_sitemap_entries``), paths relative to the
platform's root.
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


@runtime_checkable
class PlatformSitemapSource(Protocol):
    """The public pages a module offers on a platform's own site (not in its storefronts)."""

    def platform_sitemap_entries(self, db: Any, *, platform_id: int) -> Iterable[SitemapEntry]:
        """Every platform page anyone may reach without signing in; paths relative to the
        platform's root (``pricing``, ``pages/about``; ``""`` for its home)."""
        ...


def platform_sitemap_entries(db: Any, *, platform_id: int) -> list[SitemapEntry]:
    """The platform entries of every source enabled on the platform, each address once."""
    seen: dict[str, SitemapEntry] = {}
    for source in get_providers(db, PlatformSitemapSource, platform_id=platform_id):
        for entry in source.platform_sitemap_entries(db, platform_id=platform_id):
            seen.setdefault(entry.path, entry)
    return list(seen.values())
