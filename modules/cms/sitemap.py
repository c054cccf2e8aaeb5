"""The content module's addresses in the sitemaps: in a store's (``SitemapSource``), the
published pages the storefront shows, the store's own replacing the platform's of the same
slug; in the platform's (``PlatformSitemapSource``), the platform's published pages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from modules.cms.services import content_page_service
from modules.cms.services.sitemap_service import entries_for_pages
from modules.contracts.sitemap import SitemapEntry


class ContentPagesSitemap:
    """Published content pages of one storefront."""

    def sitemap_entries(self, db: Any, *, platform_id: int, store_id: int) -> Iterator[SitemapEntry]:
        pages = content_page_service.list_pages_for_store(db, platform_id=platform_id, store_id=store_id)
        yield from entries_for_pages(pages)


class PlatformPagesSitemap:
    """Published content pages of the platform's own site."""

    def platform_sitemap_entries(self, db: Any, *, platform_id: int) -> Iterator[SitemapEntry]:
        yield from entries_for_pages(content_page_service.list_platform_pages(db, platform_id=platform_id))
