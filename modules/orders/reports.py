"""The orders module's ``OrderReports`` (modules.contracts.order_reports): sales figures for
analytics, summed by the database over the orders tables.

Orders are picked by ``(store_id, placed_at)``, which the list's index
``ix_orders_store_placed`` answers in order. Two things SQLite and PostgreSQL spell
differently are compiled per dialect here: the UTC hour of a timestamp (the reader groups hours
into local days) and a field of a JSON value (the VAT breakdown of each invoice).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Integer, String, and_, case, exists, func, literal, select, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from modules.contracts.order_reports import (
    EARNED_STATUSES,
    GROUPS,
    CustomerOrder,
    CustomerSplit,
    GroupedSales,
    HourlySales,
    OrderedSku,
    SalesShare,
    SalesTotals,
    VatAmounts,
)
from modules.orders.models import Order, OrderLine


class utc_hour(FunctionElement[str]):  # noqa: N801 - an SQL function, named as SQL names them
    """``YYYY-MM-DD HH`` of a UTC timestamp column."""

    type = String()
    inherit_cache = True


@compiles(utc_hour, "sqlite")
def _utc_hour_sqlite(element: utc_hour, compiler: Any, **kw: Any) -> str:
    # SQLite keeps UTC timestamps as ``YYYY-MM-DD HH:MM:SS[.ffffff]`` text
    return f"substr({compiler.process(element.clauses, **kw)}, 1, 13)"


@compiles(utc_hour, "postgresql")
def _utc_hour_postgresql(element: utc_hour, compiler: Any, **kw: Any) -> str:
    return f"to_char({compiler.process(element.clauses, **kw)} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24')"


class json_cents(FunctionElement[int]):  # noqa: N801 - an SQL function, named as SQL names them
    """An integer field of a JSON object value: ``json_cents(value, "vat")``."""

    type = Integer()
    inherit_cache = True

    def __init__(self, value: Any, field: str) -> None:
        if not field.isidentifier():
            raise ValueError(f"not a field name: {field!r}")
        self.field = field
        super().__init__(value)


@compiles(json_cents, "sqlite")
def _json_cents_sqlite(element: json_cents, compiler: Any, **kw: Any) -> str:
    return f"CAST(json_extract({compiler.process(element.clauses, **kw)}, '$.{element.field}') AS INTEGER)"


@compiles(json_cents, "postgresql")
def _json_cents_postgresql(element: json_cents, compiler: Any, **kw: Any) -> str:
    return f"CAST(({compiler.process(element.clauses, **kw)} ->> '{element.field}') AS BIGINT)"


def _placed(store_ids: Sequence[int], start: datetime, end: datetime) -> list[ColumnElement[bool]]:
    return [Order.store_id.in_(list(store_ids)), Order.placed_at >= start, Order.placed_at < end]


def _earned(store_ids: Sequence[int], start: datetime, end: datetime) -> list[ColumnElement[bool]]:
    return [*_placed(store_ids, start, end), Order.status.in_(EARNED_STATUSES)]


def _shares(db: Any, key: Any, label: Any, where: list[ColumnElement[bool]]) -> list[SalesShare]:
    rows = db.execute(
        select(key, func.max(label), func.count(Order.id), func.coalesce(func.sum(Order.total_cents), 0))
        .where(*where)
        .group_by(key)
    ).all()
    shares = [SalesShare(key=k or "", label=lab or "", orders=n, revenue_cents=int(cents)) for k, lab, n, cents in rows]
    return sorted(shares, key=lambda s: (-s.revenue_cents, s.key))


class OrderReportsProvider:
    """Sales figures from the orders and order lines tables."""

    def totals(self, db: Any, *, store_ids: Sequence[int], start: datetime, end: datetime) -> SalesTotals:
        """Orders, revenue and units sold."""
        where = _earned(store_ids, start, end)
        orders, revenue, currency = db.execute(
            select(func.count(Order.id), func.coalesce(func.sum(Order.total_cents), 0), func.max(Order.currency))
            .where(*where)
        ).one()
        units = db.scalar(
            select(func.coalesce(func.sum(OrderLine.quantity), 0)).join(Order, Order.id == OrderLine.order_id)
            .where(*where)
        )
        return SalesTotals(orders=orders, revenue_cents=int(revenue), units=int(units or 0),
                           currency=currency or "EUR")

    def hourly_sales(
        self, db: Any, *, store_ids: Sequence[int], start: datetime, end: datetime
    ) -> list[HourlySales]:
        """Sales per UTC hour that has any, oldest first."""
        hour = utc_hour(Order.placed_at)
        rows = db.execute(
            select(hour, func.count(Order.id), func.coalesce(func.sum(Order.total_cents), 0))
            .where(*_earned(store_ids, start, end))
            .group_by(hour)
            .order_by(hour)
        ).all()
        return [
            HourlySales(hour=datetime.strptime(text, "%Y-%m-%d %H").replace(tzinfo=UTC), orders=n,
                        revenue_cents=int(cents))
            for text, n, cents in rows
        ]

    def status_counts(
        self, db: Any, *, store_ids: Sequence[int], start: datetime, end: datetime
    ) -> Mapping[str, int]:
        """Orders placed in the span by their status now."""
        rows = db.execute(
            select(Order.status, func.count(Order.id)).where(*_placed(store_ids, start, end)).group_by(Order.status)
        ).all()
        return dict(rows)

    def by_payment_method(
        self, db: Any, *, store_ids: Sequence[int], start: datetime, end: datetime
    ) -> list[SalesShare]:
        """Sales per payment method code, largest revenue first."""
        return _shares(db, Order.payment_method_code, Order.payment_method_code, _earned(store_ids, start, end))

    def by_shipping_method(
        self, db: Any, *, store_ids: Sequence[int], start: datetime, end: datetime
    ) -> list[SalesShare]:
        """Sales per shipping method code, largest revenue first."""
        return _shares(db, Order.shipping_method_code, Order.shipping_method_label, _earned(store_ids, start, end))

    def by_product(
        self, db: Any, *, store_ids: Sequence[int], start: datetime, end: datetime
    ) -> list[SalesShare]:
        """Sales per SKU, largest revenue first."""
        rows = db.execute(
            select(
                OrderLine.sku,
                func.max(OrderLine.title),
                func.count(func.distinct(OrderLine.order_id)),
                func.sum(OrderLine.line_total_cents),
                func.sum(OrderLine.quantity),
            )
            .join(Order, Order.id == OrderLine.order_id)
            .where(*_earned(store_ids, start, end))
            .group_by(OrderLine.sku)
        ).all()
        shares = [
            SalesShare(key=sku, label=title or sku, orders=n, revenue_cents=int(cents), units=int(units))
            for sku, title, n, cents, units in rows
        ]
        return sorted(shares, key=lambda s: (-s.revenue_cents, -s.units, s.key))

    def customer_split(
        self, db: Any, *, store_ids: Sequence[int], start: datetime, end: datetime
    ) -> CustomerSplit:
        """New against returning customers: returning ones had an order the store kept before
        ``start`` (orders without an e-mail address are left out)."""
        customers = (
            select(Order.store_id, Order.customer_email, func.count(Order.id).label("orders"),
                   func.coalesce(func.sum(Order.total_cents), 0).label("cents"))
            .where(*_earned(store_ids, start, end), Order.customer_email != "")
            .group_by(Order.store_id, Order.customer_email)
            .subquery()
        )
        before = aliased(Order)
        earlier = exists().where(
            before.store_id == customers.c.store_id,
            before.customer_email == customers.c.customer_email,
            before.placed_at < start,
            before.status.in_(EARNED_STATUSES),
        )
        rows = db.execute(select(earlier.label("came_back"), customers.c.orders, customers.c.cents)).all()
        split = {"new": [0, 0, 0], "returning": [0, 0, 0]}
        for returning, orders, cents in rows:
            figures = split["returning" if returning else "new"]
            figures[0] += 1
            figures[1] += orders
            figures[2] += int(cents)
        return CustomerSplit(
            new_customers=split["new"][0], returning_customers=split["returning"][0],
            new_orders=split["new"][1], returning_orders=split["returning"][1],
            new_revenue_cents=split["new"][2], returning_revenue_cents=split["returning"][2],
        )

    def vat_by_rate(
        self, db: Any, *, store_ids: Sequence[int], start: datetime, end: datetime
    ) -> list[VatAmounts]:
        """The orders' VAT breakdowns (what their invoices print) summed per rate."""
        rates = func.json_each(Order.vat_breakdown).table_valued("key", "value").alias("rates")
        rows = db.execute(
            select(
                rates.c.key,
                func.sum(json_cents(rates.c.value, "net")),
                func.sum(json_cents(rates.c.value, "vat")),
                func.sum(json_cents(rates.c.value, "gross")),
            )
            .select_from(Order)
            .join(rates, true())
            .where(and_(*_earned(store_ids, start, end)))
            .group_by(rates.c.key)
        ).all()
        amounts = [
            VatAmounts(rate=str(rate), net_cents=int(net or 0), vat_cents=int(vat or 0), gross_cents=int(gross or 0))
            for rate, net, vat, gross in rows
        ]
        return sorted(amounts, key=lambda row: -_rate_number(row.rate))

    def placed_at(self, db: Any, *, store_id: int, order_id: int) -> datetime | None:
        """When the store's order was placed (UTC), or None."""
        return db.scalar(select(Order.placed_at).where(Order.id == order_id, Order.store_id == store_id))

    def placed_span(self, db: Any, *, store_ids: Sequence[int]) -> tuple[datetime, datetime] | None:
        """When the stores' first and last orders were placed (UTC), or None without orders."""
        first, last = db.execute(
            select(func.min(Order.placed_at), func.max(Order.placed_at)).where(Order.store_id.in_(list(store_ids)))
        ).one()
        if first is None or last is None:
            return None
        return _aware(first), _aware(last)

    def customer_orders(self, db: Any, *, store_ids: Sequence[int], end: datetime) -> list[CustomerOrder]:
        """Every kept order placed before ``end`` with an e-mail address, oldest first."""
        rows = db.execute(
            select(Order.store_id, Order.customer_email, Order.placed_at)
            .where(Order.store_id.in_(list(store_ids)), Order.placed_at < end,
                   Order.status.in_(EARNED_STATUSES), Order.customer_email != "")
            .order_by(Order.placed_at, Order.id)
        ).all()
        return [CustomerOrder(store_id=store_id, customer_email=email, placed_at=_aware(placed))
                for store_id, email, placed in rows]

    def ordered_skus(
        self, db: Any, *, store_ids: Sequence[int], start: datetime, end: datetime
    ) -> list[OrderedSku]:
        """The SKUs of every kept order of the span, one row per order and SKU."""
        rows = db.execute(
            select(OrderLine.order_id, OrderLine.sku, func.max(OrderLine.title))
            .join(Order, Order.id == OrderLine.order_id)
            .where(*_earned(store_ids, start, end))
            .group_by(OrderLine.order_id, OrderLine.sku)
        ).all()
        return [OrderedSku(order_id=order_id, sku=sku, title=title or sku) for order_id, sku, title in rows]


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
        """Sales grouped by any of ``GROUPS`` (see the contract); the orders are read once per
        figure through a subquery carrying each order's group values."""
        return _grouped_sales(db, store_ids=store_ids, start=start, end=end, group_by=group_by, splits=splits,
                              sku_groups=sku_groups)


def _aware(moment: datetime) -> datetime:
    # an aggregate (min, max) comes back as the database gives it: SQLite's text has no zone
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _order_keys(group_by: Sequence[str], start: datetime, splits: Sequence[datetime]) -> list[Any]:
    """Each order-level group as a labelled column ``k0``, ``k1``... (``product`` is the
    lines', added by the caller)."""
    before = aliased(Order)
    columns: list[Any] = []
    for index, group in enumerate(group_by):
        name = f"k{index}"
        if group == "bucket":
            # the bucket's number: how many splits the order was placed at or after
            whens = [(Order.placed_at < split, str(number)) for number, split in enumerate(sorted(splits))]
            column: Any = case(*whens, else_=str(len(whens))) if whens else literal("0")
        elif group == "status":
            column = Order.status
        elif group == "payment_method":
            column = Order.payment_method_code
        elif group == "shipping_method":
            column = Order.shipping_method_code
        elif group == "customer_type":
            earlier = exists().where(
                before.store_id == Order.store_id,
                before.customer_email == Order.customer_email,
                Order.customer_email != "",
                before.placed_at < start,
                before.status.in_(EARNED_STATUSES),
            )
            column = case((earlier, "returning"), else_="new")
        else:
            column = literal("")  # product: the line's, joined later
        columns.append(column.label(name))
    return columns


def _grouped_sales(
    db: Any,
    *,
    store_ids: Sequence[int],
    start: datetime,
    end: datetime,
    group_by: Sequence[str],
    splits: Sequence[datetime],
    sku_groups: Mapping[str, str] | None,
) -> list[GroupedSales]:
    unknown = [group for group in group_by if group not in GROUPS]
    if unknown or len(set(group_by)) != len(group_by):
        raise ValueError(f"cannot group by {list(group_by)!r}")
    # one row per order with its group values (a correlated subquery is grouped over once)
    orders = (
        select(Order.id.label("order_id"), Order.total_cents, Order.customer_email, Order.vat_breakdown,
               *_order_keys(group_by, start, splits))
        .where(*_earned(store_ids, start, end))
        .subquery("grouped_orders")
    )
    customers = func.count(func.distinct(func.nullif(orders.c.customer_email, "")))
    found: dict[tuple[str, ...], dict[str, int]] = {}

    def add(rows: Any, *names: str) -> None:
        width = len(group_by)
        for row in rows:
            keys = tuple("" if value is None else str(value) for value in row[:width])
            figures = found.setdefault(keys, {})
            for name, value in zip(names, row[width:], strict=True):
                figures[name] = int(value or 0)

    if "product" in group_by:
        # the lines' figures; SKUs filed under groups when asked
        if sku_groups is None:
            product: Any = OrderLine.sku
        elif sku_groups:
            product = case(dict(sku_groups), value=OrderLine.sku, else_="")
        else:
            product = literal("")
        keys = [product if group == "product" else orders.c[f"k{index}"] for index, group in enumerate(group_by)]
        add(db.execute(
            select(*keys, func.count(func.distinct(orders.c.order_id)), func.sum(OrderLine.line_total_cents),
                   func.sum(OrderLine.quantity), func.sum(OrderLine.vat_cents), customers)
            .select_from(orders).join(OrderLine, OrderLine.order_id == orders.c.order_id)
            .group_by(*keys)
        ).all(), "orders", "revenue_cents", "units", "vat_cents", "customers")
    else:
        keys = [orders.c[f"k{index}"] for index in range(len(group_by))]
        add(db.execute(
            select(*keys, func.count(orders.c.order_id), func.sum(orders.c.total_cents), customers)
            .group_by(*keys)
        ).all(), "orders", "revenue_cents", "customers")
        add(db.execute(
            select(*keys, func.sum(OrderLine.quantity))
            .select_from(orders).join(OrderLine, OrderLine.order_id == orders.c.order_id)
            .group_by(*keys)
        ).all(), "units")
        # VAT as the invoices print it (shipping's included), like ``vat_by_rate``
        rates = func.json_each(orders.c.vat_breakdown).table_valued("key", "value").alias("rates")
        add(db.execute(
            select(*keys, func.sum(json_cents(rates.c.value, "vat")))
            .select_from(orders).join(rates, true())
            .group_by(*keys)
        ).all(), "vat_cents")
    return [GroupedSales(keys=keys, **figures) for keys, figures in found.items() if figures.get("orders")]


def _rate_number(rate: str) -> float:
    try:
        return float(rate)
    except ValueError:
        return -1.0
