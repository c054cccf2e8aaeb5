"""The catalog's ``ProductCategories`` (modules.contracts.product_catalog): the category of each
SKU's product, for analytics' sales per category."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select

from modules.catalog.models import Category, Product, Variant

CHUNK = 500
"""SKUs asked per query (SQLite caps the parameters of one statement)."""


class CatalogCategories:
    """Looks SKUs up among the store's variants and names their product's category."""

    def category_names(
        self, db: Any, *, store_id: int, skus: Sequence[str], language: str
    ) -> Mapping[str, str]:
        """``{sku: category name}`` in ``language`` (the store's default, English, any else)."""
        wanted = list(dict.fromkeys(skus))
        category_of: dict[str, int] = {}
        for first in range(0, len(wanted), CHUNK):
            rows = db.execute(
                select(Variant.sku, Product.category_id)
                .join(Product, Product.id == Variant.product_id)
                .where(Variant.store_id == store_id, Variant.sku.in_(wanted[first:first + CHUNK]),
                       Product.category_id.is_not(None))
            ).all()
            category_of.update({sku: category_id for sku, category_id in rows})
        if not category_of:
            return {}
        categories = db.scalars(select(Category).where(Category.id.in_(set(category_of.values())))).all()
        names = {category.id: category.name_for(language) for category in categories}
        return {sku: names[category_id] for sku, category_id in category_of.items() if category_id in names}
