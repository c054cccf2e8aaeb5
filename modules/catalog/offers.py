"""The catalog's ``ProductCatalog`` (modules.contracts.product_catalog): offers for the cart
and checkout, provided through the catalog's definition."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from modules.catalog.models import Product, ProductImage, ProductTranslation, Variant
from modules.catalog.models.catalog import _pick
from modules.catalog.options import labelled_options
from modules.contracts.product_catalog import Offer


class CatalogOffers:
    """Looks a SKU up among the store's variants and prices it like the product page does."""

    def offer(self, db: Any, *, store_id: int, sku: str, language: str) -> Offer | None:
        """The offer for ``sku`` (drafts included, with ``published=False``), None if unknown.

        Read as three small rows (the variant with its product, the titles, the first
        picture), not as a product object whose translations, variants and pictures each load
        with it: every cart change asks, and a cart change waits for the database's writer."""
        row = db.execute(
            select(
                Variant.sku, Variant.options, Variant.price_cents.label("own_price"), Product.id,
                Product.slug, Product.status, Product.vat_rate, Product.price_cents, Product.sale_price_cents,
            )
            .join(Product, Product.id == Variant.product_id)
            .where(Variant.store_id == store_id, Variant.sku == sku)
        ).first()
        if row is None:
            return None
        titles = dict(
            db.execute(
                select(ProductTranslation.language, ProductTranslation.title)
                .where(ProductTranslation.product_id == row.id)
                .order_by(ProductTranslation.language)
            ).all()
        )
        image = db.execute(
            select(ProductImage.id, ProductImage.file_name)
            .where(ProductImage.product_id == row.id)
            .order_by(ProductImage.position, ProductImage.id)
            .limit(1)
        ).first()
        current = row.sale_price_cents if row.sale_price_cents is not None else row.price_cents
        return Offer(
            sku=row.sku,
            title=_pick(titles, language) or row.slug,
            options=labelled_options(row.options or {}, language),
            unit_price_cents=row.own_price if row.own_price is not None else current,
            vat_rate=row.vat_rate,
            image_url=f"catalog/images/{image.id}/{image.file_name}" if image else None,
            product_url_path=f"products/{row.slug}",
            published=row.status == "published",
        )
