"""The home pages in the sitemaps: a storefront's (``SitemapSource``) and a platform's
(``PlatformSitemapSource``, ``modules.contracts.sitemap``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from modules.contracts.sitemap import SitemapEntry


class HomePageSitemap:
    """The home page, first in every sitemap; it shows what changes elsewhere, so no date."""

    def sitemap_entries(self, db: Any, *, platform_id: int, store_id: int) -> Iterator[SitemapEntry]:
        yield SitemapEntry("", None)


class PlatformHomeSitemap:
    """The platform's home page, listing its stores; no date either."""

    def platform_sitemap_entries(self, db: Any, *, platform_id: int) -> Iterator[SitemapEntry]:
        yield SitemapEntry("", None)
