"""The catalog's ``ProductCatalog`` (modules.contracts.product_catalog): offers for the cart
and checkout, provided through the catalog's definition."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from modules.catalog.models import Product, Variant
from modules.catalog.options import labelled_options
from modules.contracts.product_catalog import Offer


class CatalogOffers:
    """Looks a SKU up among the store's variants and prices it like the product page does."""

    def offer(self, db: Any, *, store_id: int, sku: str, language: str) -> Offer | None:
        """The offer for ``sku`` (drafts included, with ``published=False``), None if unknown."""
        variant = db.scalar(select(Variant).where(Variant.store_id == store_id, Variant.sku == sku))
        if variant is None:
            return None
        product: Product = variant.product
        image = product.images[0] if product.images else None
        return Offer(
            sku=variant.sku,
            title=product.title_for(language),
            options=labelled_options(variant.options or {}, language),
            unit_price_cents=product.variant_price(variant),
            vat_rate=product.vat_rate,
            image_url=f"catalog/images/{image.id}/{image.file_name}" if image else None,
            product_url_path=f"products/{product.slug}",
            published=product.status == "published",
        )
