"""The catalog on the dashboards: products published (and drafts waiting), as a widget and a
metric."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from modules.catalog.models import Product
from modules.contracts.metrics import MetricPeriod, MetricValue
from modules.contracts.widgets import DashboardWidget
from orion_server.i18n import format_number, t
from orion_server.models import Store


def _counts(db: Any, *where: Any) -> dict[str, int]:
    rows = db.execute(select(Product.status, func.count(Product.id)).where(*where).group_by(Product.status))
    return {status: count for status, count in rows}


def _store_code(db: Any, store_id: int) -> str:
    return db.scalar(select(Store.code).where(Store.id == store_id)) or ""


class CatalogWidgets:
    """Products published, with the drafts still to finish."""

    def get_store_widgets(self, db: Any, store_id: int, language: str) -> list[DashboardWidget]:
        """The store's published products."""
        counts = _counts(db, Product.store_id == store_id)
        drafts = counts.get("draft", 0)
        base = f"/store/{_store_code(db, store_id)}/products"
        return [
            DashboardWidget(
                key="catalog.published",
                title=t("catalog.widgets.published", language),
                value=format_number(counts.get("published", 0), language),
                hint=t("catalog.widgets.drafts", language, count=drafts) if drafts else "",
                link=f"{base}?status=draft" if drafts else base,
                permission="catalog.view",
            )
        ]

    def get_platform_widgets(self, db: Any, platform_id: int, language: str) -> list[DashboardWidget]:
        """Products published by every store of the platform."""
        counts = _counts(db, Product.store_id.in_(select(Store.id).where(Store.platform_id == platform_id)))
        return [
            DashboardWidget(
                key="catalog.published",
                title=t("catalog.widgets.published", language),
                value=format_number(counts.get("published", 0), language),
                hint=t("catalog.widgets.all_stores", language),
            )
        ]


class CatalogMetrics:
    """Products published now (the period does not change a stock of products)."""

    def get_store_metrics(self, db: Any, store_id: int, period: MetricPeriod) -> list[MetricValue]:
        """Published and draft products of one store."""
        return _metrics(_counts(db, Product.store_id == store_id))

    def get_platform_metrics(self, db: Any, platform_id: int, period: MetricPeriod) -> list[MetricValue]:
        """Published and draft products of the platform's stores."""
        stores = select(Store.id).where(Store.platform_id == platform_id)
        return _metrics(_counts(db, Product.store_id.in_(stores)))


def _metrics(counts: dict[str, int]) -> list[MetricValue]:
    return [
        MetricValue("catalog.products_published", "catalog.metrics.products_published", counts.get("published", 0)),
        MetricValue("catalog.products_draft", "catalog.metrics.products_draft", counts.get("draft", 0)),
    ]
