"""Catalog: services."""

from modules.catalog.services.catalog_service import (
    VAT_RATES,
    CatalogService,
    Page,
    ProductCard,
    ProductView,
    catalog_service,
    stock_levels,
)

__all__ = [
    "VAT_RATES",
    "CatalogService",
    "Page",
    "ProductCard",
    "ProductView",
    "catalog_service",
    "stock_levels",
]
