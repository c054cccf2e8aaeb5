"""Catalog: schemas of the JSON APIs."""

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
    "ProductCreate",
    "ProductOut",
    "ProductPageOut",
    "ProductUpdate",
    "StorefrontProductOut",
    "TranslationIn",
    "VariantIn",
]
