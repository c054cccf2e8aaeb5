"""Orders on the dashboards: orders to ship, revenue and orders this month."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from modules.contracts.metrics import GaugeValue, MetricPeriod, MetricValue
from modules.contracts.widgets import DashboardWidget, WidgetItem
from modules.orders.models import Order, OrderStatus
from orion_server.i18n import format_date, format_money, format_number, t
from orion_server.models import Store

SHOWN = 5
"""How many orders a widget lists."""
TO_SHIP = (OrderStatus.PAID, OrderStatus.PROCESSING)
"""Paid orders that have not left the shop."""
EARNED = (OrderStatus.PAID, OrderStatus.PROCESSING, OrderStatus.SHIPPED, OrderStatus.DELIVERED)
"""Orders whose money the shop keeps (cancelled and refunded ones left out)."""


def _stores_of(platform_id: int) -> Any:
    return select(Store.id).where(Store.platform_id == platform_id)


def _revenue(db: Any, period: MetricPeriod, *where: Any) -> tuple[int, int]:
    """``(revenue in cents, orders)`` of the orders paid in ``period``."""
    conditions = [Order.status.in_(EARNED), Order.paid_at.is_not(None), Order.paid_at < period.end, *where]
    if period.start is not None:
        conditions.append(Order.paid_at >= period.start)
    total, count = db.execute(
        select(func.coalesce(func.sum(Order.total_cents), 0), func.count(Order.id)).where(*conditions)
    ).one()
    return int(total), int(count)


def _placed(db: Any, period: MetricPeriod, *where: Any) -> int:
    conditions = [Order.placed_at < period.end, *where]
    if period.start is not None:
        conditions.append(Order.placed_at >= period.start)
    return db.scalar(select(func.count(Order.id)).where(*conditions)) or 0


class OrdersWidgets:
    """Orders to ship, with the oldest first, and the month's revenue."""

    def get_store_widgets(self, db: Any, store_id: int, language: str) -> list[DashboardWidget]:
        """Orders waiting to be shipped and revenue this month."""
        code = db.scalar(select(Store.code).where(Store.id == store_id)) or ""
        base = f"/store/{code}/orders"
        to_ship = db.scalar(
            select(func.count(Order.id)).where(Order.store_id == store_id, Order.status.in_(TO_SHIP))
        ) or 0
        oldest = db.execute(
            select(Order.number, Order.placed_at)
            .where(Order.store_id == store_id, Order.status.in_(TO_SHIP))
            .order_by(Order.placed_at, Order.id)
            .limit(SHOWN)
        )
        month = MetricPeriod.named("this_month")
        revenue, paid = _revenue(db, month, Order.store_id == store_id)
        return [
            DashboardWidget(
                key="orders.to_ship",
                title=t("orders.widgets.to_ship", language),
                value=format_number(to_ship, language),
                items=[
                    WidgetItem(label=number, value=format_date(placed_at, language, "short"), link=f"{base}/{number}")
                    for number, placed_at in oldest
                ],
                hint="" if to_ship else t("orders.widgets.nothing_to_ship", language),
                link=f"{base}?status={OrderStatus.PAID}",
                permission="orders.view",
                order=10,
            ),
            DashboardWidget(
                key="orders.revenue_month",
                title=t("orders.widgets.revenue_month", language),
                value=format_money(revenue, language),
                hint=t("orders.widgets.paid_orders", language, count=paid),
                link=base,
                permission="orders.view",
                order=20,
            ),
        ]

    def get_platform_widgets(self, db: Any, platform_id: int, language: str) -> list[DashboardWidget]:
        """Orders and revenue of every store this month."""
        stores = _stores_of(platform_id)
        month = MetricPeriod.named("this_month")
        revenue, paid = _revenue(db, month, Order.store_id.in_(stores))
        placed = _placed(db, month, Order.store_id.in_(stores))
        return [
            DashboardWidget(
                key="orders.revenue_month",
                title=t("orders.widgets.revenue_month", language),
                value=format_money(revenue, language),
                hint=t("orders.widgets.placed_this_month", language, count=placed),
                order=20,
            ),
        ]


class OrdersMetrics:
    """Orders placed, orders paid and revenue over a period; orders waiting to ship now."""

    def _values(self, db: Any, period: MetricPeriod, where: Any) -> list[MetricValue]:
        revenue, paid = _revenue(db, period, where)
        to_ship = db.scalar(select(func.count(Order.id)).where(where, Order.status.in_(TO_SHIP))) or 0
        return [
            MetricValue("orders.placed", "orders.metrics.placed", _placed(db, period, where)),
            MetricValue("orders.paid", "orders.metrics.paid", paid),
            MetricValue("orders.revenue", "orders.metrics.revenue", revenue, unit="cents"),
            MetricValue("orders.to_ship", "orders.metrics.to_ship", to_ship),
        ]

    def get_store_metrics(self, db: Any, store_id: int, period: MetricPeriod) -> list[MetricValue]:
        """One store's order figures."""
        return self._values(db, period, Order.store_id == store_id)

    def get_platform_metrics(self, db: Any, platform_id: int, period: MetricPeriod) -> list[MetricValue]:
        """The order figures of the platform's stores together."""
        return self._values(db, period, Order.store_id.in_(_stores_of(platform_id)))

    def get_platform_gauges(self, db: Any, platform_id: int) -> list[GaugeValue]:
        """Orders of the platform per status now (every status, zero included), for Prometheus."""
        counts = dict(db.execute(
            select(Order.status, func.count(Order.id))
            .where(Order.store_id.in_(_stores_of(platform_id)))
            .group_by(Order.status)
        ).all())
        return [
            GaugeValue("orion_orders", "Orders per status", counts.get(status, 0), (("status", status),))
            for status in OrderStatus.ALL
        ]
