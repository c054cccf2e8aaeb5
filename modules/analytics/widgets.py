"""Analytics on the dashboards (``widget_provider`` and ``metrics_provider`` in the definition):
the last 7 days' sales beside the 7 before with the best sellers, on the store home; the last
30 days of every store on the admin dashboard; and the average order and units sold as metrics.

Figures come from the reports (``services.reports``), so a widget says what the report pages
say for the same days; where the orders module is off, analytics shows no widget.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from sqlalchemy import select

from modules.analytics.exceptions import OrdersUnavailableError
from modules.analytics.services import reports
from modules.analytics.services.dashboard import window
from modules.analytics.services.periods import today
from modules.contracts.metrics import MetricPeriod, MetricValue
from modules.contracts.order_reports import order_reports
from modules.contracts.widgets import DashboardWidget, WidgetItem
from orion_server.i18n import format_number, t
from orion_server.models import Platform, Store
from orion_server.money import format_money

SHOWN = 3
"""How many best sellers the store widget lists."""
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
"""The start of "all time" (no order is older)."""


def _change(current: int, previous: int, language: str) -> str:
    if not previous:
        return ""
    percent = round((current - previous) * 100 / previous)
    return t("analytics.widgets.change", language, change=f"{'+' if percent > 0 else ''}{format_number(percent, language)}")


class AnalyticsWidgets:
    """Sales of the last days, on the store home and the admin dashboard."""

    def get_store_widgets(self, db: Any, store_id: int, language: str) -> list[DashboardWidget]:
        """The store's sales of the last 7 days beside the 7 before, and its best sellers."""
        code = db.scalar(select(Store.code).where(Store.id == store_id)) or ""
        scope = reports.store_scope(db, store_id=store_id, language=language)
        period = window(today(), 7)
        try:
            current, previous = reports.totals(db, scope=scope, period=period)
            top = reports.products_report(db, scope=scope, period=period, top=SHOWN, with_categories=False)
        except OrdersUnavailableError:
            return []
        hint = t("analytics.widgets.orders", language, count=format_number(current.orders, language))
        change = _change(current.revenue_cents, previous.revenue_cents, language)
        return [
            DashboardWidget(
                key="analytics.sales_7_days",
                title=t("analytics.widgets.sales_7_days", language),
                value=format_money(current.revenue_cents, language, current.currency),
                items=[WidgetItem(label=share.label, value=format_money(share.revenue_cents, language, current.currency))
                       for share in top.by_revenue],
                hint=f"{hint} {change}".strip(),
                link=f"/store/{code}/analytics?{'&'.join(f'{k}={v}' for k, v in period.query().items())}",
                permission="analytics.view",
                order=10,
            )
        ]

    def get_platform_widgets(self, db: Any, platform_id: int, language: str) -> list[DashboardWidget]:
        """The sales of every store of the platform over the last 30 days."""
        scope = reports.platform_scope(db, platform_id=platform_id, language=language)
        if not scope.store_ids:
            return []
        code = quote(db.scalar(select(Platform.code).where(Platform.id == platform_id)) or "")
        try:
            current, previous = reports.totals(db, scope=scope, period=window(today(), 30))
        except OrdersUnavailableError:
            return []
        hint = t("analytics.widgets.orders", language, count=format_number(current.orders, language))
        return [
            DashboardWidget(
                key="analytics.sales_30_days",
                title=t("analytics.widgets.sales_30_days", language),
                value=format_money(current.revenue_cents, language, current.currency),
                hint=f"{hint} {_change(current.revenue_cents, previous.revenue_cents, language)}".strip(),
                link=f"/admin/analytics?platform={code}",
                order=10,
            )
        ]


class AnalyticsMetrics:
    """The average order value and the units sold over the period."""

    def _values(self, db: Any, platform_id: int, store_ids: tuple[int, ...], period: MetricPeriod) -> list[MetricValue]:
        source = order_reports(db, platform_id=platform_id)
        if source is None or not store_ids:
            return []
        totals = source.totals(db, store_ids=store_ids, start=period.start or EPOCH, end=period.end)
        return [
            MetricValue("analytics.average_order", "analytics.metrics.average_order", totals.average_order_cents,
                        unit="cents"),
            MetricValue("analytics.units_sold", "analytics.metrics.units_sold", totals.units),
        ]

    def get_store_metrics(self, db: Any, store_id: int, period: MetricPeriod) -> list[MetricValue]:
        """One store's average order and units sold."""
        platform_id = db.scalar(select(Store.platform_id).where(Store.id == store_id))
        return [] if platform_id is None else self._values(db, platform_id, (store_id,), period)

    def get_platform_metrics(self, db: Any, platform_id: int, period: MetricPeriod) -> list[MetricValue]:
        """The average order and units sold of the platform's stores together."""
        scope = reports.platform_scope(db, platform_id=platform_id, language="en")
        return self._values(db, platform_id, scope.store_ids, period)
