"""Catalog: models."""

from modules.catalog.models.catalog import (
    Category,
    CategoryTranslation,
    Product,
    ProductImage,
    ProductTranslation,
    Variant,
)

__all__ = [
    "Category",
    "CategoryTranslation",
    "Product",
    "ProductImage",
    "ProductTranslation",
    "Variant",
]
