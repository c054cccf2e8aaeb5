"""Figures over stores' orders for reports, which the orders module provides
(``provides={OrderReports: ...}``) and analytics reads; None where orders is off.

Every method takes the stores (one for a store's reports, several for a platform's) and a span
``[start, end)`` in UTC; orders are counted by the time they were placed. *Sales* are the
orders whose money the store keeps (``EARNED_STATUSES``: paid, being prepared, shipped or
delivered), at their total, VAT included; orders waiting for payment, cancelled or refunded
are counted only by ``status_counts``. Money is integer cents in the orders' currency.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from orion_server.providers import get_provider

EARNED_STATUSES = ("paid", "processing", "shipped", "delivered")
"""Statuses of orders whose money the store keeps."""


@dataclass(frozen=True)
class SalesTotals:
    """Sales of a span, all together."""

    orders: int = 0
    revenue_cents: int = 0
    units: int = 0
    currency: str = "EUR"
    """The currency the orders were taken in (the store's shopper-facing currency)."""

    @property
    def average_order_cents(self) -> int:
        """Revenue per order, rounded to the cent (0 without orders)."""
        return round(self.revenue_cents / self.orders) if self.orders else 0


@dataclass(frozen=True)
class HourlySales:
    """Sales of the orders placed in one UTC hour (the reader groups hours into local days,
    weeks or months: SQL engines disagree on time zones, Python does not)."""

    hour: datetime
    """The hour's start, in UTC."""
    orders: int
    revenue_cents: int


@dataclass(frozen=True)
class SalesShare:
    """Sales of one value of a dimension (a payment method, a shipping method, a SKU)."""

    key: str
    """The stored code: ``card``, ``flat``, a SKU."""
    label: str
    """What the order shows for it, where it keeps one (shipping method label, line title)."""
    orders: int
    revenue_cents: int
    units: int = 0


@dataclass(frozen=True)
class CustomerSplit:
    """Customers who ordered in a span: first-time ones and those who had ordered before."""

    new_customers: int = 0
    returning_customers: int = 0
    new_orders: int = 0
    returning_orders: int = 0
    new_revenue_cents: int = 0
    returning_revenue_cents: int = 0


@dataclass(frozen=True)
class VatAmounts:
    """What the invoices of a span say for one VAT rate, summed."""

    rate: str
    """The rate in percent, as invoices show it (``17``)."""
    net_cents: int
    vat_cents: int
    gross_cents: int


@dataclass(frozen=True)
class CustomerOrder:
    """One order a store kept, by whom and when (for cohorts of customers)."""

    store_id: int
    customer_email: str
    placed_at: datetime
    """In UTC."""


@dataclass(frozen=True)
class OrderedSku:
    """One SKU on one order a store kept (for products bought together)."""

    order_id: int
    sku: str
    title: str


GROUPS = ("bucket", "status", "payment_method", "shipping_method", "product", "customer_type")
"""What ``OrderReports.grouped_sales`` groups by: ``bucket`` the span cut at ``splits`` (the
key is the bucket's number from ``"0"``), ``status``, the payment and shipping method codes,
``product`` (the SKU, or the group ``sku_groups`` files it under) and ``customer_type``
(``new``, or ``returning`` for an e-mail address with an order the store kept before ``start``)."""


@dataclass(frozen=True)
class GroupedSales:
    """Sales of one combination of group values.

    Grouped by ``product``, figures are the lines': revenue and VAT of the lines (no shipping,
    no order discount) and orders containing one; otherwise the orders': their totals and the
    VAT their invoices print. ``customers`` counts e-mail addresses (orders without one are
    left out of it)."""

    keys: tuple[str, ...]
    """One value per group asked, in the order asked."""
    orders: int = 0
    revenue_cents: int = 0
    units: int = 0
    vat_cents: int = 0
    customers: int = 0


@runtime_checkable
class OrderReports(Protocol):
    """Sales figures over orders, provided by the orders module."""

    def totals(self, db: Any, *, store_ids: Sequence[int], start: datetime, end: datetime) -> SalesTotals:
        """Orders, revenue and units sold."""
        ...

    def hourly_sales(
        self, db: Any, *, store_ids: Sequence[int], start: datetime, end: datetime
    ) -> list[HourlySales]:
        """Sales per UTC hour that has any, oldest first."""
        ...

    def status_counts(
        self, db: Any, *, store_ids: Sequence[int], start: datetime, end: datetime
    ) -> Mapping[str, int]:
        """Orders placed in the span by their status now, every status included."""
        ...

    def by_payment_method(
        self, db: Any, *, store_ids: Sequence[int], start: datetime, end: datetime
    ) -> list[SalesShare]:
        """Sales per payment method code, largest revenue first."""
        ...

    def by_shipping_method(
        self, db: Any, *, store_ids: Sequence[int], start: datetime, end: datetime
    ) -> list[SalesShare]:
        """Sales per shipping method code, largest revenue first."""
        ...

    def by_product(
        self, db: Any, *, store_ids: Sequence[int], start: datetime, end: datetime
    ) -> list[SalesShare]:
        """Sales per SKU (revenue and units of its lines, orders containing it), largest
        revenue first."""
        ...

    def customer_split(
        self, db: Any, *, store_ids: Sequence[int], start: datetime, end: datetime
    ) -> CustomerSplit:
        """New against returning customers, a customer being an e-mail address per store."""
        ...

    def vat_by_rate(
        self, db: Any, *, store_ids: Sequence[int], start: datetime, end: datetime
    ) -> list[VatAmounts]:
        """The VAT breakdowns of the invoices of the span summed per rate, highest rate first."""
        ...

    def placed_at(self, db: Any, *, store_id: int, order_id: int) -> datetime | None:
        """When the store's order was placed (UTC), or None where there is no such order: what
        a reader keeping figures per day recomputes when the order changes."""
        ...

    def placed_span(self, db: Any, *, store_ids: Sequence[int]) -> tuple[datetime, datetime] | None:
        """When the stores' first and last orders were placed (UTC), or None without orders."""
        ...

    def customer_orders(self, db: Any, *, store_ids: Sequence[int], end: datetime) -> list[CustomerOrder]:
        """Every order the stores kept placed before ``end`` that has an e-mail address, oldest
        first."""
        ...

    def ordered_skus(
        self, db: Any, *, store_ids: Sequence[int], start: datetime, end: datetime
    ) -> list[OrderedSku]:
        """The SKUs of every order the stores kept in the span (one row per order and SKU)."""


    def grouped_sales(
        self,
        db: Any,
        *,
        store_ids: Sequence[int],
        start: datetime,
        end: datetime,
        group_by: Sequence[str],
        splits: Sequence[datetime] = (),
        sku_groups: Mapping[str, str] | None = None,
    ) -> list[GroupedSales]:
        """Sales grouped by any of ``GROUPS`` (none: one row for the whole span, if it has
        sales), in no particular order; ``splits`` are the UTC instants cutting the span into
        buckets, ``sku_groups`` files SKUs under groups (unlisted SKUs under ``""``)."""
        ...


def order_reports(db: Any, *, platform_id: int) -> OrderReports | None:
    """The provider of order figures on the platform, or None (orders is off there)."""
    return get_provider(db, OrderReports, platform_id=platform_id)
