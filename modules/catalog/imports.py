"""The catalog's ``ProductImport`` (modules.contracts.product_catalog): products created or
brought in line from an outside catalogue file, by SKU, provided through the catalog's
definition (the marketplace's Letzshop import uses it)."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from modules.catalog.models import Product, Variant
from modules.catalog.services import catalog_service
from modules.contracts.product_catalog import ImportedProduct
from orion_server.forms import InputError


def _slug_part(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", (text or "").lower()).strip("-")


def import_slug(title: str, sku: str) -> str:
    """``pain-complet-pc-500``: the title's words and the SKU (unique per store)."""
    sku_part = _slug_part(sku)[:40] or "product"
    title_part = _slug_part(title)[: 98 - len(sku_part)].strip("-")
    return f"{title_part}-{sku_part}" if title_part else sku_part


class CatalogImport:
    """Creates or updates the product of a SKU; writes nothing when nothing differs."""

    def has_images(self, db: Any, *, store_id: int, sku: str) -> bool:
        product = db.scalar(
            select(Product).join(Variant, Variant.product_id == Product.id)
            .where(Variant.store_id == store_id, Variant.sku == sku)
        )
        return bool(product is not None and product.images)

    def import_product(self, db: Any, *, store_id: int, product: ImportedProduct, actor: str | None) -> str:
        variant = db.scalar(select(Variant).where(Variant.store_id == store_id, Variant.sku == product.sku))
        text = {"title": product.title, "description": product.description}
        if variant is None:
            created = catalog_service.create_product(
                db,
                store_id=store_id,
                slug=import_slug(product.title, product.sku),
                translations={product.language: text},
                variants=[{"sku": product.sku, "options": {}, "stock": product.stock}],
                price_cents=product.price_cents,
                sale_price_cents=product.sale_price_cents,
                default_language=product.language,
                status="published",
                brand=product.brand,
                gtin=product.gtin,
                condition=product.condition,
                availability=product.availability,
                actor=actor,
            )
            self._add_images(db, store_id, created, product, undo=True)
            return "created"
        existing = variant.product
        wanted: dict[str, Any] = {
            name: getattr(product, name)
            for name in ("brand", "gtin", "condition", "availability", "sale_price_cents")
            if name in product.given
        }
        if product.price_cents is not None:
            wanted["price_cents"] = product.price_cents
        changes = {name: value for name, value in wanted.items() if getattr(existing, name) != value}
        translations = {tr.language: {"title": tr.title, "description": tr.description} for tr in existing.translations}
        if "description" not in product.given and product.language in translations:
            text["description"] = translations[product.language]["description"]
        if translations.get(product.language) != text:
            changes["translations"] = {**translations, product.language: text}
        if changes:
            # the file's language stands for the store's: its title is the one the file gives
            catalog_service.update_product(db, store_id=store_id, product_id=existing.id, actor=actor,
                                           default_language=product.language, **changes)
        added = self._add_images(db, store_id, existing, product, undo=False)
        return "updated" if changes or added else "unchanged"

    @staticmethod
    def _add_images(db: Any, store_id: int, target: Product, product: ImportedProduct, *, undo: bool) -> bool:
        """Add the pictures to a product that has none; a picture refused undoes the product
        just created (``undo``), so none is left without what its row asked for."""
        if not product.images or target.images:
            return False
        try:
            for name, data in product.images:
                catalog_service.add_image(db, store_id=store_id, product_id=target.id, filename=name, data=data)
        except InputError:
            db.rollback()
            if undo:
                catalog_service.delete_product(db, store_id=store_id, product_id=target.id)
            raise
        return True
