"""The catalog: categories, products with variants and translations, search, images, export.

Prices are integer cents with VAT included; ``vat_rate`` is in basis points (1700 = 17 %).
Every product has at least one variant (one without options for a simple product); stock
belongs to the variant's SKU and is kept by the inventory module.

Search: on SQLite an FTS5 table ``catalog_search`` holds one row per product and language
(rowid = product id × 16 + the language's slot), kept up to date by this service; on
PostgreSQL the query computes ``to_tsvector`` over the translation and the SKUs.

This file is the catalog's service as callers see it: ``catalog_service`` joins the parts, each
in its own file (categories, reading and writing products, the search index, images, export),
and the limits and views they share (``rules``, ``views``) are named here too.
"""

from __future__ import annotations

from modules.catalog.services.categories import Categories
from modules.catalog.services.export import Export
from modules.catalog.services.images import Images
from modules.catalog.services.product_reading import ProductReading
from modules.catalog.services.product_writing import ProductWriting
from modules.catalog.services.rules import (
    GTIN_PATTERN,
    LANGUAGE_SLOTS,
    MAX_BRAND,
    MAX_DESCRIPTION,
    MAX_ID,
    MAX_OPTIONS,
    MAX_POSITION,
    MAX_PRICE_CENTS,
    MAX_QUERY_TERMS,
    MAX_STOCK,
    MAX_TITLE,
    MAX_VARIANTS,
    PER_PAGE_LIMIT,
    PRICE_PROBLEMS,
    ROWS_PER_PRODUCT,
    SKU_PATTERN,
    SLUG_PATTERN,
    SORTS,
    STATUSES,
    fts5_query,
    options_text,
    parse_options,
    search_terms,
    set_initial_stock,
    stock_levels,
)
from modules.catalog.services.search_index import SearchIndex
from modules.catalog.services.views import (
    CategoryRow,
    ImageView,
    ProductCard,
    ProductView,
    VariantView,
)
from orion_server.pagination import Page

__all__ = [
    "GTIN_PATTERN",
    "LANGUAGE_SLOTS",
    "MAX_BRAND",
    "MAX_DESCRIPTION",
    "MAX_ID",
    "MAX_OPTIONS",
    "MAX_POSITION",
    "MAX_PRICE_CENTS",
    "MAX_QUERY_TERMS",
    "MAX_STOCK",
    "MAX_TITLE",
    "MAX_VARIANTS",
    "PER_PAGE_LIMIT",
    "PRICE_PROBLEMS",
    "ROWS_PER_PRODUCT",
    "SKU_PATTERN",
    "SLUG_PATTERN",
    "SORTS",
    "STATUSES",
    "CatalogService",
    "CategoryRow",
    "ImageView",
    "Page",
    "ProductCard",
    "ProductView",
    "VariantView",
    "catalog_service",
    "fts5_query",
    "options_text",
    "parse_options",
    "search_terms",
    "set_initial_stock",
    "stock_levels",
]


class CatalogService(Categories, ProductReading, ProductWriting, SearchIndex, Images, Export):
    """Categories, products, variants, images, storefront listing and search, CSV export."""


catalog_service = CatalogService()
