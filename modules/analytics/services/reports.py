"""The reports: sales over time beside the previous period, orders by status, average order
value, payment and shipping methods, products and categories, new against returning customers
and VAT per rate.

Figures come from the orders module through ``OrderReports`` (modules.contracts.order_reports),
summed from analytics' daily aggregates of it where the stores are built (``aggregates``), and
categories from the catalog through ``ProductCategories``. Each function takes the stores reported on (one store, or every store of a platform)
and returns plain data that pages, charts and CSV files show.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from modules.analytics.exceptions import OrdersUnavailableError
from modules.analytics.services import aggregates
from modules.analytics.services.periods import ReportPeriod, local_day
from modules.contracts.checkout_payments import method_label
from modules.contracts.order_reports import (
    CustomerSplit,
    OrderReports,
    SalesShare,
    SalesTotals,
    VatAmounts,
    order_reports,
)
from modules.contracts.product_catalog import ProductCategories
from orion_server.models import Store
from orion_server.providers import get_provider

TOP = 10
"""How many products and categories the report lists."""
ORDER_STATUSES = ("pending_payment", "paid", "processing", "shipped", "delivered", "cancelled", "refunded")
"""Every order status, in the order an order goes through them."""


@dataclass(frozen=True)
class Scope:
    """What a report covers: stores of one platform, and the language of names it shows."""

    platform_id: int
    store_ids: tuple[int, ...]
    language: str = "en"


@dataclass(frozen=True)
class SalesPoint:
    """One bucket of sales over time, with the matching bucket of the previous period."""

    day: date
    """The bucket's first day."""
    orders: int
    revenue_cents: int
    previous_day: date | None
    previous_orders: int
    previous_revenue_cents: int


@dataclass(frozen=True)
class SalesReport:
    """Sales of a period beside the previous one, and how the orders split."""

    period: ReportPeriod
    totals: SalesTotals
    previous_totals: SalesTotals
    points: list[SalesPoint]
    statuses: list[tuple[str, int]]
    payments: list[SalesShare]
    shipping: list[SalesShare]

    @property
    def currency(self) -> str:
        """The currency of the figures."""
        return self.totals.currency

    @property
    def empty(self) -> bool:
        """No order at all was placed in the period."""
        return not any(count for _, count in self.statuses)


@dataclass(frozen=True)
class CategorySales:
    """Sales of the products filed under one category."""

    name: str
    units: int
    revenue_cents: int


@dataclass(frozen=True)
class ProductsReport:
    """The best-selling products and categories, by revenue and by units."""

    period: ReportPeriod
    currency: str
    by_revenue: list[SalesShare]
    by_units: list[SalesShare]
    categories: list[CategorySales] = field(default_factory=list)
    categories_known: bool = True
    """False where no catalog tells the categories."""

    @property
    def empty(self) -> bool:
        return not self.by_revenue


@dataclass(frozen=True)
class CustomersReport:
    """New and returning customers of a period and of the one before."""

    period: ReportPeriod
    currency: str
    current: CustomerSplit
    previous: CustomerSplit

    @property
    def empty(self) -> bool:
        return not (self.current.new_customers or self.current.returning_customers)


@dataclass(frozen=True)
class VatReport:
    """VAT collected per rate over a period, as the invoices say."""

    period: ReportPeriod
    currency: str
    rows: list[VatAmounts]

    @property
    def total(self) -> VatAmounts:
        """Every rate together."""
        return VatAmounts(
            rate="",
            net_cents=sum(row.net_cents for row in self.rows),
            vat_cents=sum(row.vat_cents for row in self.rows),
            gross_cents=sum(row.gross_cents for row in self.rows),
        )

    @property
    def empty(self) -> bool:
        return not self.rows


def _source(db: Session, scope: Scope) -> OrderReports:
    """The figures: the daily aggregates where every store of the scope is built, else the
    orders themselves."""
    source = order_reports(db, platform_id=scope.platform_id)
    if source is None:
        raise OrdersUnavailableError("the orders module is off on this platform")
    if aggregates.is_built(db, scope.store_ids):
        return aggregates.DailyReports(source)
    return source


def store_scope(db: Session, *, store_id: int, language: str) -> Scope:
    """The scope of one store's reports."""
    platform_id = db.scalar(select(Store.platform_id).where(Store.id == store_id))
    if platform_id is None:
        raise LookupError(f"no store {store_id}")
    return Scope(platform_id=platform_id, store_ids=(store_id,), language=language)


def platform_scope(db: Session, *, platform_id: int, language: str, store_id: int | None = None) -> Scope:
    """The scope of a platform's reports: every store of it, or the one chosen."""
    query = select(Store.id).where(Store.platform_id == platform_id)
    if store_id is not None:
        query = query.where(Store.id == store_id)
    return Scope(platform_id=platform_id, store_ids=tuple(db.scalars(query.order_by(Store.id))), language=language)


def _series(source: OrderReports, db: Session, scope: Scope, period: ReportPeriod) -> dict[date, list[int]]:
    """``{bucket's first day: [orders, revenue]}`` for every bucket of ``period``."""
    buckets: dict[date, list[int]] = {day: [0, 0] for day in period.buckets()}
    for hour in source.hourly_sales(db, store_ids=scope.store_ids, start=period.start, end=period.end):
        figures = buckets[period.bucket_of(local_day(hour.hour))]
        figures[0] += hour.orders
        figures[1] += hour.revenue_cents
    return buckets


def sales_report(db: Session, *, scope: Scope, period: ReportPeriod) -> SalesReport:
    """Sales over time beside the previous period, average order value, orders by status and
    sales per payment and shipping method."""
    source = _source(db, scope)
    previous = period.previous()
    where = {"store_ids": scope.store_ids, "start": period.start, "end": period.end}
    current_series = _series(source, db, scope, period)
    previous_series = list(_series(source, db, scope, previous).items())
    points = []
    for index, (day, (orders, revenue)) in enumerate(current_series.items()):
        before = previous_series[index] if index < len(previous_series) else None
        points.append(SalesPoint(
            day=day, orders=orders, revenue_cents=revenue,
            previous_day=before[0] if before else None,
            previous_orders=before[1][0] if before else 0,
            previous_revenue_cents=before[1][1] if before else 0,
        ))
    counts = source.status_counts(db, **where)
    return SalesReport(
        period=period,
        totals=source.totals(db, **where),
        previous_totals=source.totals(db, store_ids=scope.store_ids, start=previous.start, end=previous.end),
        points=points,
        statuses=[(status, counts.get(status, 0)) for status in ORDER_STATUSES],
        payments=[
            replace(share, label=method_label(db, scope.store_ids[0], share.key, scope.language) or share.key)
            for share in source.by_payment_method(db, **where)
        ],
        shipping=source.by_shipping_method(db, **where),
    )


def _categories(db: Session, scope: Scope, products: Sequence[SalesShare]) -> list[CategorySales] | None:
    catalog = get_provider(db, ProductCategories, platform_id=scope.platform_id)
    if catalog is None:
        return None
    skus = [product.key for product in products]
    names: dict[str, str] = {}
    for store_id in scope.store_ids:
        # a SKU names a variant within one store: stores are asked one by one
        for sku, name in catalog.category_names(db, store_id=store_id, skus=skus, language=scope.language).items():
            names.setdefault(sku, name)
    summed: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for product in products:
        name = names.get(product.key)
        if name is not None:
            summed[name][0] += product.units
            summed[name][1] += product.revenue_cents
    return [CategorySales(name=name, units=units, revenue_cents=cents) for name, (units, cents) in summed.items()]


def totals(db: Session, *, scope: Scope, period: ReportPeriod) -> tuple[SalesTotals, SalesTotals]:
    """The sales of the period and of the previous one, all together."""
    source = _source(db, scope)
    previous = period.previous()
    return (source.totals(db, store_ids=scope.store_ids, start=period.start, end=period.end),
            source.totals(db, store_ids=scope.store_ids, start=previous.start, end=previous.end))


@dataclass(frozen=True)
class StoreSales:
    """One store's sales of a period, beside the previous one."""

    store_id: int
    code: str
    name: str
    totals: SalesTotals
    previous: SalesTotals


def store_totals(db: Session, *, scope: Scope, period: ReportPeriod) -> list[StoreSales]:
    """Each store of the scope's sales, largest revenue first."""
    names = {row.id: row for row in db.execute(
        select(Store.id, Store.code, Store.name).where(Store.id.in_(list(scope.store_ids))))}
    found = []
    for store_id in scope.store_ids:
        current, previous = totals(db, scope=replace(scope, store_ids=(store_id,)), period=period)
        found.append(StoreSales(store_id=store_id, code=names[store_id].code, name=names[store_id].name,
                                totals=current, previous=previous))
    return sorted(found, key=lambda s: (-s.totals.revenue_cents, s.name))


def products_report(db: Session, *, scope: Scope, period: ReportPeriod, top: int = TOP,
                    with_categories: bool = True) -> ProductsReport:
    """The ``top`` products by revenue and by units, and the categories likewise (unless
    ``with_categories`` is False)."""
    source = _source(db, scope)
    where = {"store_ids": scope.store_ids, "start": period.start, "end": period.end}
    products = source.by_product(db, **where)
    categories = _categories(db, scope, products) if with_categories else []
    return ProductsReport(
        period=period,
        currency=source.totals(db, **where).currency,
        by_revenue=products[:top],
        by_units=sorted(products, key=lambda p: (-p.units, -p.revenue_cents, p.key))[:top],
        categories=sorted(categories or [], key=lambda c: (-c.revenue_cents, c.name))[:top],
        categories_known=categories is not None,
    )


def customers_report(db: Session, *, scope: Scope, period: ReportPeriod) -> CustomersReport:
    """New against returning customers, this period and the previous one."""
    source = _source(db, scope)
    previous = period.previous()
    return CustomersReport(
        period=period,
        currency=source.totals(db, store_ids=scope.store_ids, start=period.start, end=period.end).currency,
        current=source.customer_split(db, store_ids=scope.store_ids, start=period.start, end=period.end),
        previous=source.customer_split(db, store_ids=scope.store_ids, start=previous.start, end=previous.end),
    )


def vat_report(db: Session, *, scope: Scope, period: ReportPeriod) -> VatReport:
    """VAT collected per rate: the invoices of the orders the stores kept, summed."""
    source = _source(db, scope)
    where = {"store_ids": scope.store_ids, "start": period.start, "end": period.end}
    return VatReport(period=period, currency=source.totals(db, **where).currency, rows=source.vat_by_rate(db, **where))
