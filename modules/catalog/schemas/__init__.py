"""Catalog: schemas of the JSON APIs."""

from modules.catalog.schemas.category import CategoryCreate, CategoryOut, CategoryUpdate
from modules.catalog.schemas.product import (
    CardOut,
    CardPageOut,
    ProductCreate,
    ProductOut,
    ProductPageOut,
    ProductUpdate,
    StorefrontProductOut,
    TranslationIn,
    VariantIn,
)

__all__ = [
    "CardOut",
    "CardPageOut",
    "CategoryCreate",
    "CategoryOut",
    "CategoryUpdate",
    "ProductCreate",
    "ProductOut",
    "ProductPageOut",
    "ProductUpdate",
    "StorefrontProductOut",
    "TranslationIn",
    "VariantIn",
]
