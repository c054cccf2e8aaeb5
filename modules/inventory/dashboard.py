"""Inventory on the dashboards: the items at or below their low-stock threshold."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from modules.contracts.metrics import MetricPeriod, MetricValue
from modules.contracts.widgets import DashboardWidget, WidgetItem
from modules.inventory.models import StockItem
from orion_server.i18n import format_number, t
from orion_server.models import Store

SHOWN = 5
"""How many low items a widget lists."""


def _low(*where: Any) -> tuple[Any, ...]:
    return (
        StockItem.is_unlimited.is_(False),
        StockItem.low_stock_threshold.is_not(None),
        StockItem.on_hand - StockItem.reserved <= StockItem.low_stock_threshold,
        *where,
    )


def _platform_stores(platform_id: int) -> Any:
    return select(Store.id).where(Store.platform_id == platform_id)


class InventoryWidgets:
    """Low stock: how many items, and the lowest few."""

    def get_store_widgets(self, db: Any, store_id: int, language: str) -> list[DashboardWidget]:
        """The store's low items, the emptiest first."""
        code = db.scalar(select(Store.code).where(Store.id == store_id)) or ""
        base = f"/store/{code}/inventory"
        count = db.scalar(select(func.count(StockItem.id)).where(*_low(StockItem.store_id == store_id))) or 0
        lowest = db.execute(
            select(StockItem.id, StockItem.sku, StockItem.on_hand - StockItem.reserved)
            .where(*_low(StockItem.store_id == store_id))
            .order_by(StockItem.on_hand - StockItem.reserved, StockItem.sku)
            .limit(SHOWN)
        )
        return [
            DashboardWidget(
                key="inventory.low_stock",
                title=t("inventory.widgets.low_stock", language),
                value=format_number(count, language),
                items=[
                    WidgetItem(
                        label=sku,
                        value=t("inventory.widgets.left", language, count=available),
                        link=f"{base}/items/{item_id}",
                    )
                    for item_id, sku, available in lowest
                ],
                hint="" if count else t("inventory.widgets.none_low", language),
                link=f"{base}?low=1",
                permission="inventory.view",
            )
        ]

    def get_platform_widgets(self, db: Any, platform_id: int, language: str) -> list[DashboardWidget]:
        """Low items across the platform, with the stores that have most."""
        stores = _platform_stores(platform_id)
        count = db.scalar(select(func.count(StockItem.id)).where(*_low(StockItem.store_id.in_(stores)))) or 0
        by_store = db.execute(
            select(Store.name, func.count(StockItem.id))
            .join(Store, Store.id == StockItem.store_id)
            .where(*_low(StockItem.store_id.in_(stores)))
            .group_by(Store.name)
            .order_by(func.count(StockItem.id).desc(), Store.name)
            .limit(SHOWN)
        )
        return [
            DashboardWidget(
                key="inventory.low_stock",
                title=t("inventory.widgets.low_stock", language),
                value=format_number(count, language),
                items=[WidgetItem(label=name, value=format_number(n, language)) for name, n in by_store],
                hint="" if count else t("inventory.widgets.none_low", language),
            )
        ]


class InventoryMetrics:
    """Items low on stock now."""

    def get_store_metrics(self, db: Any, store_id: int, period: MetricPeriod) -> list[MetricValue]:
        """The store's low items."""
        count = db.scalar(select(func.count(StockItem.id)).where(*_low(StockItem.store_id == store_id))) or 0
        return [MetricValue("inventory.low_stock_items", "inventory.metrics.low_stock_items", count)]

    def get_platform_metrics(self, db: Any, platform_id: int, period: MetricPeriod) -> list[MetricValue]:
        """Low items of the platform's stores."""
        stores = _platform_stores(platform_id)
        count = db.scalar(select(func.count(StockItem.id)).where(*_low(StockItem.store_id.in_(stores)))) or 0
        return [MetricValue("inventory.low_stock_items", "inventory.metrics.low_stock_items", count)]
