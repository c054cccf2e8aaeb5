"""The catalog's ``ProductCatalog`` (modules.contracts.product_catalog): offers for the cart
and checkout, provided through the catalog's definition."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select

from modules.catalog.models import Product, ProductImage, ProductTranslation, Variant
from modules.catalog.models.catalog import _pick
from modules.catalog.options import labelled_options
from modules.contracts.product_catalog import Offer

_variants, _products = Variant.__table__.c, Product.__table__.c
_translations, _images = ProductTranslation.__table__.c, ProductImage.__table__.c

# Built once, from the tables' columns: a cart change pays neither for assembling the query
# nor for the ORM's handling of it, only for the lookup of its compiled form.
_OFFER = (
    select(
        _variants.sku, _variants.options, _variants.price_cents.label("own_price"), _products.id, _products.slug,
        _products.status, _products.vat_rate, _products.price_cents, _products.sale_price_cents,
        _translations.language, _translations.title,
        select(_images.id).where(_images.product_id == _products.id)
        .order_by(_images.position, _images.id).limit(1).scalar_subquery().label("image_id"),
        select(_images.file_name).where(_images.product_id == _products.id)
        .order_by(_images.position, _images.id).limit(1).scalar_subquery().label("image_file"),
    )
    .join(Product.__table__, _products.id == _variants.product_id)
    .outerjoin(ProductTranslation.__table__, _translations.product_id == _products.id)
    .where(_variants.store_id == bindparam("store_id"), _variants.sku == bindparam("sku"))
    .order_by(_translations.language)
)


class CatalogOffers:
    """Looks a SKU up among the store's variants and prices it like the product page does."""

    def offer(self, db: Any, *, store_id: int, sku: str, language: str) -> Offer | None:
        """The offer for ``sku`` (drafts included, with ``published=False``), None if unknown.

        One query: the variant with its product, one row per title language, the first
        picture; not a product object whose translations, variants and pictures each load with
        it: every cart change asks, and a cart change waits for the database's writer."""
        rows = db.connection().execute(_OFFER, {"store_id": store_id, "sku": sku}).all()
        if not rows:
            return None
        row = rows[0]
        titles = {found.language: found.title for found in rows if found.language is not None}
        current = row.sale_price_cents if row.sale_price_cents is not None else row.price_cents
        return Offer(
            sku=row.sku,
            title=_pick(titles, language) or row.slug,
            options=labelled_options(row.options or {}, language),
            unit_price_cents=row.own_price if row.own_price is not None else current,
            vat_rate=row.vat_rate,
            image_url=f"catalog/images/{row.image_id}/{row.image_file}" if row.image_id is not None else None,
            product_url_path=f"products/{row.slug}",
            published=row.status == "published",
        )
