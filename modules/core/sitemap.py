"""The storefront's home page in its sitemaps (``modules.contracts.sitemap.SitemapSource``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from modules.contracts.sitemap import SitemapEntry


class HomePageSitemap:
    """The home page, first in every sitemap; it shows what changes elsewhere, so no date."""

    def sitemap_entries(self, db: Any, *, platform_id: int, store_id: int) -> Iterator[SitemapEntry]:
        yield SitemapEntry("", None)
