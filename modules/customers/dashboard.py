"""Customers on the dashboards: new customers this month."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from modules.contracts.metrics import MetricPeriod, MetricValue
from modules.contracts.widgets import DashboardWidget, WidgetItem
from modules.customers.models import Customer
from orion_server.i18n import format_date, format_number, t
from orion_server.models import Store

SHOWN = 5
"""How many new customers a widget lists."""


def _new(period: MetricPeriod, *where: Any) -> list[Any]:
    conditions = [Customer.erased_at.is_(None), Customer.created_at < period.end, *where]
    if period.start is not None:
        conditions.append(Customer.created_at >= period.start)
    return conditions


def _stores_of(platform_id: int) -> Any:
    return select(Store.id).where(Store.platform_id == platform_id)


class CustomersWidgets:
    """New customers this month, the latest first."""

    def get_store_widgets(self, db: Any, store_id: int, language: str) -> list[DashboardWidget]:
        """The store's new customers this month."""
        code = db.scalar(select(Store.code).where(Store.id == store_id)) or ""
        base = f"/store/{code}/customers"
        month = MetricPeriod.named("this_month")
        count = db.scalar(select(func.count(Customer.id)).where(*_new(month, Customer.store_id == store_id))) or 0
        latest = db.scalars(
            select(Customer)
            .where(*_new(month, Customer.store_id == store_id))
            .order_by(Customer.created_at.desc(), Customer.id.desc())
            .limit(SHOWN)
        )
        return [
            DashboardWidget(
                key="customers.new_month",
                title=t("customers.widgets.new_month", language),
                value=format_number(count, language),
                items=[
                    WidgetItem(
                        label=customer.full_name or customer.email,
                        value=format_date(customer.created_at, language, "short"),
                        link=f"{base}/{customer.id}",
                    )
                    for customer in latest
                ],
                hint="" if count else t("customers.widgets.none_new", language),
                link=base,
                permission="customers.view",
            )
        ]

    def get_platform_widgets(self, db: Any, platform_id: int, language: str) -> list[DashboardWidget]:
        """New customers of every store this month."""
        month = MetricPeriod.named("this_month")
        where = Customer.store_id.in_(_stores_of(platform_id))
        count = db.scalar(select(func.count(Customer.id)).where(*_new(month, where))) or 0
        return [
            DashboardWidget(
                key="customers.new_month",
                title=t("customers.widgets.new_month", language),
                value=format_number(count, language),
                hint=t("customers.widgets.all_stores", language),
            )
        ]


class CustomersMetrics:
    """Customers who registered in the period, and all customers now."""

    def _values(self, db: Any, period: MetricPeriod, where: Any) -> list[MetricValue]:
        new = db.scalar(select(func.count(Customer.id)).where(*_new(period, where))) or 0
        total = db.scalar(select(func.count(Customer.id)).where(where, Customer.erased_at.is_(None))) or 0
        return [
            MetricValue("customers.new", "customers.metrics.new", new),
            MetricValue("customers.total", "customers.metrics.total", total),
        ]

    def get_store_metrics(self, db: Any, store_id: int, period: MetricPeriod) -> list[MetricValue]:
        """One store's customer figures."""
        return self._values(db, period, Customer.store_id == store_id)

    def get_platform_metrics(self, db: Any, platform_id: int, period: MetricPeriod) -> list[MetricValue]:
        """The customer figures of the platform's stores together."""
        return self._values(db, period, Customer.store_id.in_(_stores_of(platform_id)))
