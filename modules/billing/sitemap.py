"""The pricing page in a platform's sitemaps (``modules.contracts.sitemap.PlatformSitemapSource``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from modules.contracts.sitemap import SitemapEntry


class PricingSitemap:
    """The platform's pricing page; its tiers come from the code, so no date."""

    def platform_sitemap_entries(self, db: Any, *, platform_id: int) -> Iterator[SitemapEntry]:
        yield SitemapEntry("pricing", None)
