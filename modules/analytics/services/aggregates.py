"""Daily aggregates of the stores' orders (``models.daily``): kept up to date from order events,
built once per store (the backfill), and read by the reports in place of the orders tables.

Keeping them: an order's day is recomputed as a whole from ``OrderReports`` (the orders
contract) for that store and local day, whatever changed; doing it twice, or for events that
arrive out of order, leaves the same rows, as the listeners' at-least-once delivery needs.
Building: every day between a store's first and last orders is recomputed, and the store is
marked built; until then reports read the orders (exact, only slower). Events are delivered only
where analytics is on, and orders cannot be read where orders is off: a build older than the
last time either was switched on or off on the platform counts as none, and is made again.

Reading: ``DailyReports`` answers the ``OrderReports`` questions the report pages ask, for spans
of whole local days (what a ``ReportPeriod`` is), by summing the days' rows; anything else (new
against returning customers, which no sum of days can tell) goes to the orders.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from modules.analytics.models import DailyFigure, StoreBuild
from modules.analytics.services.periods import local_day, local_midnight
from modules.contracts.order_reports import (
    CustomerOrder,
    CustomerSplit,
    HourlySales,
    OrderedSku,
    OrderReports,
    SalesShare,
    SalesTotals,
    VatAmounts,
    order_reports,
)
from orion_server.database import utcnow
from orion_server.models import PlatformModule, Store

logger = logging.getLogger(__name__)

CHUNK_DAYS = 31
"""Days a build computes between two checkpoints (commits, in the periodic task)."""


# -- keeping them --------------------------------------------------------------------------------


def day_rows(db: Session, source: OrderReports, *, store_id: int, day: date) -> list[DailyFigure]:
    """The figures of the store's orders placed on local ``day``, as the orders contract tells."""
    span = {"store_ids": (store_id,), "start": local_midnight(day), "end": local_midnight(day + timedelta(days=1))}
    counts = source.status_counts(db, **span)
    if not any(counts.values()):
        return []

    def row(dimension: str, key: str, **figures: Any) -> DailyFigure:
        return DailyFigure(store_id=store_id, day=day, dimension=dimension, key=key[:64], **figures)

    rows = [row("status", status, orders=count) for status, count in counts.items() if count]
    totals = source.totals(db, **span)
    if totals.orders:
        rows.append(row("total", "", label=totals.currency, orders=totals.orders,
                        revenue_cents=totals.revenue_cents, units=totals.units))
    for dimension, shares in (
        ("payment", source.by_payment_method(db, **span)),
        ("shipping", source.by_shipping_method(db, **span)),
        ("product", source.by_product(db, **span)),
    ):
        rows.extend(row(dimension, share.key, label=share.label[:300], orders=share.orders,
                        revenue_cents=share.revenue_cents, units=share.units) for share in shares)
    rows.extend(row("vat", amounts.rate, net_cents=amounts.net_cents, vat_cents=amounts.vat_cents,
                    gross_cents=amounts.gross_cents) for amounts in source.vat_by_rate(db, **span))
    return rows


def recompute_day(db: Session, source: OrderReports, *, store_id: int, day: date) -> int:
    """Replace the store's figures of local ``day`` with what its orders say now; returns the
    rows written."""
    db.execute(delete(DailyFigure).where(DailyFigure.store_id == store_id, DailyFigure.day == day))
    rows = day_rows(db, source, store_id=store_id, day=day)
    db.add_all(rows)
    db.flush()
    return len(rows)


def recompute_order_day(db: Session, *, platform_id: int, store_id: int, order_id: int) -> date | None:
    """Recompute the day the order was placed on; returns it (None: no such order, or the
    orders module is off)."""
    source = order_reports(db, platform_id=platform_id)
    if source is None:
        return None
    placed = source.placed_at(db, store_id=store_id, order_id=order_id)
    if placed is None:
        return None
    day = local_day(placed if placed.tzinfo else placed.replace(tzinfo=UTC))
    recompute_day(db, source, store_id=store_id, day=day)
    return day


def rebuild_store(db: Session, *, store_id: int, checkpoint: Callable[[], None] | None = None) -> int:
    """Recompute every day of the store's orders and mark it built; returns the days with orders.
    The backfill of a store, and what makes its figures right again whatever happened.

    ``checkpoint`` (e.g. commit and take the write lock again) is called after each
    ``CHUNK_DAYS`` days, so a long history does not hold the database's write lock for the whole
    build; the store counts as unbuilt (reports read the orders) until the last day is done."""
    platform_id = db.scalar(select(Store.platform_id).where(Store.id == store_id))
    if platform_id is None:
        raise LookupError(f"no store {store_id}")
    source = order_reports(db, platform_id=platform_id)
    if source is None:
        return 0
    started = utcnow()
    db.execute(delete(StoreBuild).where(StoreBuild.store_id == store_id))
    db.execute(delete(DailyFigure).where(DailyFigure.store_id == store_id))
    days = 0
    span = source.placed_span(db, store_ids=(store_id,))
    if span is not None:
        day, last = local_day(span[0]), local_day(span[1])
        done = 0
        while day <= last:
            rows = day_rows(db, source, store_id=store_id, day=day)
            if rows:
                db.add_all(rows)
                days += 1
            day += timedelta(days=1)
            done += 1
            if checkpoint is not None and done % CHUNK_DAYS == 0:
                db.flush()
                checkpoint()
    # built as of its start: a switch of analytics or orders meanwhile makes it stale again
    db.add(StoreBuild(store_id=store_id, built_at=started, days=days))
    db.flush()
    return days


WATCHED = ("analytics", "orders")
"""Modules whose being off lets order events pass analytics by: a build older than the last
change of either on the store's platform may have missed some, and counts as none."""


def _current_builds() -> Any:
    """The builds made since analytics and orders were last switched on or off on the store's
    platform (the store ids)."""
    changed = (
        select(func.max(PlatformModule.changed_at))
        .where(PlatformModule.platform_id == Store.platform_id, PlatformModule.module_code.in_(WATCHED))
        .scalar_subquery()
    )
    return (
        select(StoreBuild.store_id)
        .join(Store, Store.id == StoreBuild.store_id)
        .where(StoreBuild.built_at >= func.coalesce(changed, StoreBuild.built_at))
    )


def unbuilt_stores(db: Session, *, platform_ids: Sequence[int]) -> list[int]:
    """Stores of the platforms never built, or built before analytics or orders was last
    switched on or off there; oldest first."""
    return list(db.scalars(
        select(Store.id)
        .where(Store.platform_id.in_(list(platform_ids)), ~Store.id.in_(_current_builds()))
        .order_by(Store.id)
    ))


def is_built(db: Session, store_ids: Sequence[int]) -> bool:
    """Whether every one of the stores has its days built, since analytics and orders were last
    switched on or off on its platform."""
    if not store_ids:
        return False
    ids = list(set(store_ids))
    built = db.scalar(select(func.count()).select_from(_current_builds().where(StoreBuild.store_id.in_(ids))
                                                       .subquery()))
    return built == len(ids)


# -- reading them --------------------------------------------------------------------------------


def _days(start: datetime, end: datetime) -> tuple[date, date] | None:
    """The local days ``[start, end)`` covers, or None where it does not cover whole days."""
    first, after = local_day(start), local_day(end)
    if local_midnight(first) != start or local_midnight(after) != end:
        return None
    return first, after - timedelta(days=1)


class DailyReports:
    """``OrderReports`` answered from the daily aggregates for spans of whole local days, and by
    ``orders`` (the orders contract) for the rest. Only for built stores (``is_built``)."""

    def __init__(self, orders: OrderReports) -> None:
        self.orders = orders

    def _sum(self, db: Session, dimension: str, store_ids: Sequence[int], days: tuple[date, date],
             *columns: Any, by_key: bool = True) -> list[Any]:
        where = (DailyFigure.store_id.in_(list(store_ids)), DailyFigure.dimension == dimension,
                 DailyFigure.day >= days[0], DailyFigure.day <= days[1])
        query = select(*([DailyFigure.key] if by_key else []), *columns).where(*where)
        if by_key:
            query = query.group_by(DailyFigure.key)
        return list(db.execute(query).all())

    def totals(self, db: Session, *, store_ids: Sequence[int], start: datetime, end: datetime) -> SalesTotals:
        """Orders, revenue and units sold."""
        days = _days(start, end)
        if days is None:
            return self.orders.totals(db, store_ids=store_ids, start=start, end=end)
        ((orders, revenue, units, currency),) = self._sum(
            db, "total", store_ids, days, func.coalesce(func.sum(DailyFigure.orders), 0),
            func.coalesce(func.sum(DailyFigure.revenue_cents), 0), func.coalesce(func.sum(DailyFigure.units), 0),
            func.max(DailyFigure.label), by_key=False)
        return SalesTotals(orders=int(orders), revenue_cents=int(revenue), units=int(units), currency=currency or "EUR")

    def hourly_sales(
        self, db: Session, *, store_ids: Sequence[int], start: datetime, end: datetime
    ) -> list[HourlySales]:
        """Sales per day that has any, each given as the hour of its local midnight (the reader
        groups hours into local days: it finds the same days)."""
        days = _days(start, end)
        if days is None:
            return self.orders.hourly_sales(db, store_ids=store_ids, start=start, end=end)
        rows = db.execute(
            select(DailyFigure.day, func.sum(DailyFigure.orders), func.sum(DailyFigure.revenue_cents))
            .where(DailyFigure.store_id.in_(list(store_ids)), DailyFigure.dimension == "total",
                   DailyFigure.day >= days[0], DailyFigure.day <= days[1])
            .group_by(DailyFigure.day)
            .order_by(DailyFigure.day)
        ).all()
        return [HourlySales(hour=local_midnight(day), orders=int(orders), revenue_cents=int(cents))
                for day, orders, cents in rows]

    def status_counts(
        self, db: Session, *, store_ids: Sequence[int], start: datetime, end: datetime
    ) -> Mapping[str, int]:
        """Orders placed in the span by their status now."""
        days = _days(start, end)
        if days is None:
            return self.orders.status_counts(db, store_ids=store_ids, start=start, end=end)
        return {key: int(count) for key, count in self._sum(db, "status", store_ids, days, func.sum(DailyFigure.orders))}

    def _shares(self, db: Session, dimension: str, store_ids: Sequence[int], days: tuple[date, date]) -> list[SalesShare]:
        rows = self._sum(db, dimension, store_ids, days, func.max(DailyFigure.label), func.sum(DailyFigure.orders),
                         func.sum(DailyFigure.revenue_cents), func.sum(DailyFigure.units))
        return [SalesShare(key=key, label=label or "", orders=int(orders), revenue_cents=int(cents), units=int(units))
                for key, label, orders, cents, units in rows]

    def by_payment_method(
        self, db: Session, *, store_ids: Sequence[int], start: datetime, end: datetime
    ) -> list[SalesShare]:
        """Sales per payment method code, largest revenue first."""
        days = _days(start, end)
        if days is None:
            return self.orders.by_payment_method(db, store_ids=store_ids, start=start, end=end)
        shares = [SalesShare(key=s.key, label=s.label, orders=s.orders, revenue_cents=s.revenue_cents)
                  for s in self._shares(db, "payment", store_ids, days)]
        return sorted(shares, key=lambda s: (-s.revenue_cents, s.key))

    def by_shipping_method(
        self, db: Session, *, store_ids: Sequence[int], start: datetime, end: datetime
    ) -> list[SalesShare]:
        """Sales per shipping method code, largest revenue first."""
        days = _days(start, end)
        if days is None:
            return self.orders.by_shipping_method(db, store_ids=store_ids, start=start, end=end)
        shares = [SalesShare(key=s.key, label=s.label, orders=s.orders, revenue_cents=s.revenue_cents)
                  for s in self._shares(db, "shipping", store_ids, days)]
        return sorted(shares, key=lambda s: (-s.revenue_cents, s.key))

    def by_product(
        self, db: Session, *, store_ids: Sequence[int], start: datetime, end: datetime
    ) -> list[SalesShare]:
        """Sales per SKU, largest revenue first."""
        days = _days(start, end)
        if days is None:
            return self.orders.by_product(db, store_ids=store_ids, start=start, end=end)
        return sorted(self._shares(db, "product", store_ids, days), key=lambda s: (-s.revenue_cents, -s.units, s.key))

    def customer_split(
        self, db: Session, *, store_ids: Sequence[int], start: datetime, end: datetime
    ) -> CustomerSplit:
        """New against returning customers: from the orders (a customer's days do not add up)."""
        return self.orders.customer_split(db, store_ids=store_ids, start=start, end=end)

    def vat_by_rate(
        self, db: Session, *, store_ids: Sequence[int], start: datetime, end: datetime
    ) -> list[VatAmounts]:
        """The invoices' VAT summed per rate, highest rate first."""
        days = _days(start, end)
        if days is None:
            return self.orders.vat_by_rate(db, store_ids=store_ids, start=start, end=end)
        rows = self._sum(db, "vat", store_ids, days, func.sum(DailyFigure.net_cents),
                         func.sum(DailyFigure.vat_cents), func.sum(DailyFigure.gross_cents))
        amounts = [VatAmounts(rate=rate, net_cents=int(net), vat_cents=int(vat), gross_cents=int(gross))
                   for rate, net, vat, gross in rows]
        return sorted(amounts, key=lambda row: -_rate_number(row.rate))

    def placed_at(self, db: Session, *, store_id: int, order_id: int) -> datetime | None:
        """When the order was placed: from the orders."""
        return self.orders.placed_at(db, store_id=store_id, order_id=order_id)

    def placed_span(self, db: Session, *, store_ids: Sequence[int]) -> tuple[datetime, datetime] | None:
        """The first and last orders: from the orders."""
        return self.orders.placed_span(db, store_ids=store_ids)

    def customer_orders(self, db: Session, *, store_ids: Sequence[int], end: datetime) -> list[CustomerOrder]:
        """Orders one by one: from the orders."""
        return self.orders.customer_orders(db, store_ids=store_ids, end=end)

    def ordered_skus(
        self, db: Session, *, store_ids: Sequence[int], start: datetime, end: datetime
    ) -> list[OrderedSku]:
        """Orders' SKUs one by one: from the orders."""
        return self.orders.ordered_skus(db, store_ids=store_ids, start=start, end=end)


def _rate_number(rate: str) -> float:
    try:
        return float(rate)
    except ValueError:
        return -1.0


def figures_by_day(db: Session, *, store_id: int) -> dict[tuple[date, str, str], tuple[Any, ...]]:
    """Every daily figure of the store, keyed by ``(day, dimension, key)`` (for checks)."""
    found: dict[tuple[date, str, str], tuple[Any, ...]] = defaultdict(tuple)
    for row in db.scalars(select(DailyFigure).where(DailyFigure.store_id == store_id)):
        found[(row.day, row.dimension, row.key)] = (row.label, row.orders, row.revenue_cents, row.units,
                                                    row.net_cents, row.vat_cents, row.gross_cents)
    return dict(found)
