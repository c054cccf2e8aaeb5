"""The report figures match the seeded orders, each worked out again here from the orders
themselves (their status, local day, lines and invoices), not through the report's queries."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta

import pytest

from modules.analytics.services import reports
from modules.analytics.services.periods import ReportPeriod
from modules.contracts.metrics import LOCAL_ZONE
from tests.modules.analytics.conftest import EARNED, orders_between

NOVEMBER = ReportPeriod(date(2025, 11, 1), date(2025, 11, 30), "day")


def _scope(db, shop, language="en"):
    return reports.store_scope(db, store_id=shop[1].id, language=language)


def _day(order):
    return order.placed_at.astimezone(LOCAL_ZONE).date()


def test_totals_and_average_order_value_count_the_orders_the_store_kept(db_session, seeded):
    """Revenue, orders, units and the average order of paid to delivered orders placed in November."""
    report = reports.sales_report(db_session, scope=_scope(db_session, seeded), period=NOVEMBER)
    kept = orders_between(db_session, seeded[1], NOVEMBER.first, NOVEMBER.last)
    before = orders_between(db_session, seeded[1], date(2025, 10, 2), date(2025, 10, 31))

    assert kept, "the seed must place orders in November"
    assert report.totals.orders == len(kept)
    assert report.totals.revenue_cents == sum(o.total_cents for o in kept)
    assert report.totals.units == sum(line.quantity for o in kept for line in o.lines)
    assert report.totals.average_order_cents == round(sum(o.total_cents for o in kept) / len(kept))
    assert report.previous_totals.revenue_cents == sum(o.total_cents for o in before)
    assert report.currency == "EUR"


@pytest.mark.parametrize("granularity", ["day", "week", "month"])
def test_sales_over_time_fall_in_local_buckets_beside_the_previous_period(db_session, seeded, granularity):
    """Each bucket holds the orders of its local days; the previous period's buckets line up."""
    period = ReportPeriod(date(2025, 11, 1), date(2025, 11, 30), granularity)
    report = reports.sales_report(db_session, scope=_scope(db_session, seeded), period=period)

    expected: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for order in orders_between(db_session, seeded[1], period.first, period.last):
        day = _day(order)
        start = {"day": day, "week": max(day - timedelta(days=day.weekday()), period.first),
                 "month": day.replace(day=1)}[granularity]
        expected[start][0] += 1
        expected[start][1] += order.total_cents
    shown = {p.day: [p.orders, p.revenue_cents] for p in report.points if p.orders}
    assert shown == dict(expected)
    assert [p.day for p in report.points] == period.buckets()
    assert sum(p.previous_revenue_cents for p in report.points) == report.previous_totals.revenue_cents
    assert report.points[0].previous_day == date(2025, 10, 2)


def test_orders_by_status_count_every_order_placed(db_session, seeded):
    """Every status is listed, pending, cancelled and refunded orders too."""
    report = reports.sales_report(db_session, scope=_scope(db_session, seeded), period=NOVEMBER)
    placed = orders_between(db_session, seeded[1], NOVEMBER.first, NOVEMBER.last, earned=False)

    counts = Counter(o.status for o in placed)
    assert dict(report.statuses) == {status: counts.get(status, 0) for status in reports.ORDER_STATUSES}
    assert sum(dict(report.statuses).values()) == len(placed)


def test_revenue_by_payment_and_shipping_method(db_session, seeded):
    """Each method's orders and revenue; payment methods named in words."""
    report = reports.sales_report(db_session, scope=_scope(db_session, seeded), period=NOVEMBER)
    kept = orders_between(db_session, seeded[1], NOVEMBER.first, NOVEMBER.last)

    for shares, attribute in ((report.payments, "payment_method_code"), (report.shipping, "shipping_method_code")):
        expected: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for order in kept:
            expected[getattr(order, attribute)][0] += 1
            expected[getattr(order, attribute)][1] += order.total_cents
        assert {s.key: [s.orders, s.revenue_cents] for s in shares} == dict(expected)
        assert [s.revenue_cents for s in shares] == sorted((s.revenue_cents for s in shares), reverse=True)
    assert {s.key: s.label for s in report.shipping} == {"flat": "Livraison", "pickup": "Retrait"}


def test_top_products_by_revenue_and_by_units(db_session, seeded):
    """The lines of the orders kept, summed per SKU and ranked both ways."""
    report = reports.products_report(db_session, scope=_scope(db_session, seeded), period=NOVEMBER)
    revenue: Counter[str] = Counter()
    units: Counter[str] = Counter()
    for order in orders_between(db_session, seeded[1], NOVEMBER.first, NOVEMBER.last):
        for line in order.lines:
            revenue[line.sku] += line.line_total_cents
            units[line.sku] += line.quantity

    assert [(p.key, p.revenue_cents) for p in report.by_revenue] == sorted(
        revenue.items(), key=lambda item: (-item[1], -units[item[0]], item[0]))
    assert [(p.key, p.units) for p in report.by_units] == sorted(
        units.items(), key=lambda item: (-item[1], -revenue[item[0]], item[0]))


def test_categories_sum_the_products_filed_under_them(db_session, seeded, factories):
    """Products of the catalog name the category of each SKU sold; unfiled ones are left out."""
    from modules.catalog.services import catalog_service

    store = seeded[1]
    sweet = catalog_service.save_category(db_session, store_id=store.id, slug="patisserie", names={"en": "Pastry"})
    factories.product(store, "cake", sku="CAKE-1", category_id=sweet.id)
    factories.product(store, "jam", sku="JAM-1", category_id=sweet.id)
    factories.product(store, "bread", sku="BREAD-1")
    report = reports.products_report(db_session, scope=_scope(db_session, seeded), period=NOVEMBER)
    pastry = [line for o in orders_between(db_session, store, NOVEMBER.first, NOVEMBER.last)
              for line in o.lines if line.sku in ("CAKE-1", "JAM-1")]

    assert [(c.name, c.units, c.revenue_cents) for c in report.categories] == [
        ("Pastry", sum(line.quantity for line in pastry), sum(line.line_total_cents for line in pastry))]


def test_new_and_returning_customers(db_session, seeded):
    """A customer who had a kept order before November returns; the others are new."""
    report = reports.customers_report(db_session, scope=_scope(db_session, seeded), period=NOVEMBER)
    kept = orders_between(db_session, seeded[1], NOVEMBER.first, NOVEMBER.last)
    earlier = {o.customer_email for o in orders_between(db_session, seeded[1], date(2000, 1, 1), date(2025, 10, 31))}
    returning = [o for o in kept if o.customer_email in earlier]
    new = [o for o in kept if o.customer_email not in earlier]

    split = report.current
    assert split.returning_customers == len({o.customer_email for o in returning})
    assert split.new_customers == len({o.customer_email for o in new})
    assert (split.new_orders, split.returning_orders) == (len(new), len(returning))
    assert split.new_revenue_cents == sum(o.total_cents for o in new)
    assert split.returning_revenue_cents == sum(o.total_cents for o in returning)


def test_the_vat_report_is_the_sum_of_the_invoices(db_session, seeded):
    """Per rate, the net, VAT and gross the invoices of the kept orders print, added up."""
    report = reports.vat_report(db_session, scope=_scope(db_session, seeded), period=NOVEMBER)
    summed: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for order in orders_between(db_session, seeded[1], NOVEMBER.first, NOVEMBER.last):
        for rate, amounts in order.vat_rows:  # what the invoice prints
            summed[rate][0] += amounts["net"]
            summed[rate][1] += amounts["vat"]
            summed[rate][2] += amounts["gross"]

    assert {row.rate: [row.net_cents, row.vat_cents, row.gross_cents] for row in report.rows} == dict(summed)
    assert [row.rate for row in report.rows] == ["17", "8", "3"]
    kept = orders_between(db_session, seeded[1], NOVEMBER.first, NOVEMBER.last)
    assert report.total.gross_cents == sum(o.total_cents for o in kept)


def test_a_platform_report_adds_up_its_stores(db_session, seeded, factories):
    """The platform scope counts every store; one store chosen counts that one only."""
    from tests.modules.analytics.conftest import seed_orders

    other = factories.store(seeded[0], code="bookshop", name="Librairie")
    seed_orders(db_session, other, count=15, seed=11)
    everything = reports.platform_scope(db_session, platform_id=seeded[0].id, language="en")
    chosen = reports.platform_scope(db_session, platform_id=seeded[0].id, language="en", store_id=other.id)

    both = reports.sales_report(db_session, scope=everything, period=NOVEMBER).totals
    alone = reports.sales_report(db_session, scope=chosen, period=NOVEMBER).totals
    assert both.revenue_cents == sum(o.total_cents for store in (seeded[1], other)
                                     for o in orders_between(db_session, store, NOVEMBER.first, NOVEMBER.last))
    assert alone.revenue_cents == sum(o.total_cents for o in orders_between(db_session, other, NOVEMBER.first,
                                                                              NOVEMBER.last))


def test_without_orders_the_reports_are_empty(db_session, shop):
    """A store without orders gets empty reports, not errors."""
    scope = _scope(db_session, shop)
    assert reports.sales_report(db_session, scope=scope, period=NOVEMBER).empty
    assert reports.products_report(db_session, scope=scope, period=NOVEMBER).empty
    assert reports.customers_report(db_session, scope=scope, period=NOVEMBER).empty
    assert reports.vat_report(db_session, scope=scope, period=NOVEMBER).empty


def test_reports_need_the_orders_module(db_session, factories):
    """Where orders is off, the reports say so (an error the page explains)."""
    from modules.analytics.exceptions import OrdersUnavailableError
    from orion_server.modules.service import module_service

    platform = factories.platform()
    module_service.enable_module(db_session, platform.id, "analytics")
    store = factories.store(platform, code="alone")
    assert EARNED
    with pytest.raises(OrdersUnavailableError):
        reports.sales_report(db_session, scope=reports.store_scope(db_session, store_id=store.id, language="en"),
                             period=NOVEMBER)
