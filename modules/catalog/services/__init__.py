"""Catalog: services."""

from modules.catalog.services.catalog_service import (
    CatalogService,
    Page,
    ProductCard,
    ProductView,
    catalog_service,
    stock_levels,
)

__all__ = [
    "CatalogService",
    "Page",
    "ProductCard",
    "ProductView",
    "catalog_service",
    "stock_levels",
]
