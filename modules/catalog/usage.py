"""Catalog's part of ``PlanUsage`` (modules.contracts.tier_limits): the store's products."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select

from modules.catalog.models import Product
from modules.contracts.tier_limits import PRODUCTS


def product_count(db: Any, store_id: int) -> int:
    """Every product of the store, drafts included: what the product limit counts."""
    return db.scalar(select(func.count(Product.id)).where(Product.store_id == store_id)) or 0


class ProductPlanUsage:
    """The store's products, drafts included."""

    def usage(self, db: Any, *, store_id: int) -> Mapping[str, int]:
        return {PRODUCTS: product_count(db, store_id)}
