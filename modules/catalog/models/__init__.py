"""Catalog: models."""

from modules.catalog.models.catalog import (
    Category,
    CategoryTranslation,
    Product,
    ProductImage,
    ProductTranslation,
    SlugRedirect,
    Variant,
)

__all__ = [
    "Category",
    "CategoryTranslation",
    "Product",
    "ProductImage",
    "ProductTranslation",
    "SlugRedirect",
    "Variant",
]
