"""The search index of products, kept up to date on every change: on SQLite the FTS5 table
``catalog_search`` (a row per product and language, rowid = product id * 16 + the language's
slot), on PostgreSQL the table ``catalog_search`` of stored ``tsvector`` documents (a row per
product and language, a GIN index per language)."""

from __future__ import annotations

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from modules.catalog.models import Product
from modules.catalog.services.rules import LANGUAGE_SLOTS, ROWS_PER_PRODUCT
from orion_server.database import begin_write


class SearchIndex:
    """The search index of products, kept up to date on every change."""

    def _unindex(self, db: Session, product_id: int) -> None:
        if db.get_bind().dialect.name == "sqlite":
            db.execute(
                text("DELETE FROM catalog_search WHERE rowid >= :low AND rowid < :high"),
                {"low": product_id * ROWS_PER_PRODUCT, "high": (product_id + 1) * ROWS_PER_PRODUCT},
            )
        else:
            db.execute(text("DELETE FROM catalog_search WHERE product_id = :id"), {"id": product_id})

    def _index(self, db: Session, product: Product, default_language: str) -> None:
        """(Re)write the product's rows of ``catalog_search``: one per supported language,
        with the text a shopper of that language sees (falling back to the default language)."""
        self._unindex(db, product.id)
        skus = " ".join(v.sku for v in product.variants)
        rows = []
        for language, slot in LANGUAGE_SLOTS.items():
            translation = product.translation_for(language, default_language)
            rows.append(
                {
                    "rowid": product.id * ROWS_PER_PRODUCT + slot,
                    "product_id": product.id,
                    "store_id": product.store_id,
                    "language": language,
                    "title": translation.title if translation else product.slug,
                    "description": (translation.description if translation else "") or "",
                    "skus": skus,
                }
            )
        if db.get_bind().dialect.name == "sqlite":
            statement = (
                "INSERT INTO catalog_search (rowid, store_id, language, title, description, skus) "
                "VALUES (:rowid, :store_id, :language, :title, :description, :skus)"
            )
        else:
            statement = (
                "INSERT INTO catalog_search (product_id, language, store_id, document) VALUES "
                "(:product_id, :language, :store_id, "
                "to_tsvector('simple', :title || ' ' || :description || ' ' || :skus))"
            )
        db.execute(text(statement), rows)

    def reindex_store(self, db: Session, *, store_id: int) -> int:
        """Rebuild the search rows of every product of the store; returns how many."""
        begin_write(db)
        default = self._default_language(db, store_id)
        products = list(db.scalars(select(Product).where(Product.store_id == store_id)))
        for product in products:
            self._index(db, product, default)
        db.commit()
        return len(products)
