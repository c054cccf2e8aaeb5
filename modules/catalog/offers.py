"""The catalog's ``ProductCatalog`` (modules.contracts.product_catalog): offers for the cart
and checkout, and the published variants a product feed lists, provided through the catalog's
definition."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import bindparam, select

from modules.catalog.models import Product, ProductImage, ProductTranslation, Variant
from modules.catalog.models.catalog import _pick
from modules.catalog.options import labelled_options
from modules.catalog.services.rules import stock_levels
from modules.contracts.product_catalog import FeedItem, Offer

FEED_BATCH = 500
"""Products read (with their texts, variants, pictures and stock) per query of a feed."""

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

    def feed_items(self, db: Any, *, store_id: int, language: str) -> Iterator[FeedItem]:
        """Every variant of the store's published products in ``language`` (with fallback),
        oldest product first, ``FEED_BATCH`` products per query so a big catalogue is never
        held in memory at once."""
        last_id = 0
        while True:
            products = list(
                db.scalars(
                    select(Product)
                    .where(Product.store_id == store_id, Product.status == "published", Product.id > last_id)
                    .order_by(Product.id)
                    .limit(FEED_BATCH)
                )
            )
            if not products:
                return
            last_id = products[-1].id
            stock = stock_levels(db, store_id=store_id, skus=[v.sku for p in products for v in p.variants])
            for product in products:
                text = product.translation_for(language)
                title = text.title if text and text.title else product.slug
                images = tuple(f"catalog/images/{image.id}/{image.file_name}" for image in product.images)
                for variant in product.variants:
                    own = variant.price_cents
                    options = labelled_options(variant.options or {}, language)
                    yield FeedItem(
                        sku=variant.sku,
                        product_id=product.id,
                        title=f"{title} – {' / '.join(options.values())}" if options else title,
                        description=text.description if text else "",
                        product_url_path=f"products/{product.slug}",
                        image_paths=images,
                        price_cents=own if own is not None else product.price_cents,
                        sale_price_cents=None if own is not None else product.sale_price_cents,
                        brand=product.brand,
                        gtin=product.gtin,
                        condition=product.condition,
                        availability=product.availability,
                        stock=None if product.is_digital else stock.get(variant.sku, 0),
                        is_digital=product.is_digital,
                    )
