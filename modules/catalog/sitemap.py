"""The catalog's addresses in a store's sitemaps (``modules.contracts.sitemap.SitemapSource``):
the product listing, every category and every published product."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import func, select

from modules.catalog.models import Category, Product
from modules.contracts.sitemap import SitemapEntry


class CatalogSitemap:
    """Published products and the categories of one store, with their last change."""

    def sitemap_entries(self, db: Any, *, platform_id: int, store_id: int) -> Iterator[SitemapEntry]:
        published = (Product.store_id == store_id, Product.status == "published")
        newest = db.scalar(select(func.max(Product.updated_at)).where(*published))
        yield SitemapEntry("products", newest)
        for slug, changed in db.execute(
            select(Category.slug, Category.updated_at).where(Category.store_id == store_id).order_by(Category.id)
        ):
            yield SitemapEntry(f"categories/{slug}", changed)
        for slug, changed in db.execute(
            select(Product.slug, Product.updated_at).where(*published).order_by(Product.id)
        ):
            yield SitemapEntry(f"products/{slug}", changed)
