"""The daily aggregates follow the orders through order events, equal a rebuild from scratch,
and give the reports the same figures as the orders themselves."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from sqlalchemy import select

from modules.analytics.models import DailyFigure, StoreBuild
from modules.analytics.services import aggregates, reports
from modules.analytics.services.periods import ReportPeriod
from modules.contracts.order_reports import order_reports
from modules.orders.services import order_service
from tests.modules.analytics.conftest import PRODUCTS, local_time, orders_between

NOVEMBER = ReportPeriod(date(2025, 11, 1), date(2025, 11, 30), "week")


def _figures(db, store):
    db.commit()
    db.expire_all()
    return aggregates.figures_by_day(db, store_id=store.id)


def _place(db, store, *, day: date, status: str = "paid"):
    return order_service.create_order(
        db, store_id=store.id, lines=[dict(PRODUCTS[2], quantity=2)],
        customer={"email": "new@example.lu", "name": "New", "language": "fr"},
        addresses={"shipping": {"name": "New", "street": "1, rue de la Gare", "postal_code": "L-1611",
                                "city": "Luxembourg", "country": "LU"}},
        shipping={"code": "flat", "label": "Livraison", "price_cents": 500, "vat_rate": 17},
        payment_method="card", status=status, placed_at=local_time(day, 23, 30),
    )


def test_order_events_keep_the_aggregates_equal_to_a_rebuild(db_session, seeded):
    """What the listeners kept while the orders were placed and moved on is what a rebuild of
    every day computes."""
    kept = _figures(db_session, seeded[1])
    assert kept, "the seeded orders must reach the aggregates through their events"
    aggregates.rebuild_store(db_session, store_id=seeded[1].id)
    assert _figures(db_session, seeded[1]) == kept


def test_placing_then_cancelling_an_order_updates_its_local_day(db_session, shop):
    """A paid order placed at 23:30 local time counts on that local day; cancelled, it leaves
    the day's sales and counts as cancelled."""
    store = shop[1]
    day = date(2025, 11, 12)
    order = _place(db_session, store, day=day, status="pending_payment")
    order_service.change_status(db_session, order_id=order.id, store_id=store.id, to="paid")
    figures = _figures(db_session, store)
    assert figures[(day, "total", "")][1:4] == (1, order.total_cents, 2)
    assert figures[(day, "status", "paid")][1] == 1
    assert figures[(day, "product", "WINE-1")][1:4] == (1, 2 * 1590, 2)
    assert (day, "vat", "17") in figures

    order_service.change_status(db_session, order_id=order.id, store_id=store.id, to="refunded")
    figures = _figures(db_session, store)
    assert (day, "total", "") not in figures
    assert (day, "status", "paid") not in figures
    assert figures[(day, "status", "refunded")][1] == 1


def test_recomputing_a_day_twice_leaves_the_same_rows(db_session, seeded):
    """Listeners run at least once: a second delivery changes nothing."""
    order = orders_between(db_session, seeded[1], date(2025, 11, 1), date(2025, 11, 30))[0]
    before = _figures(db_session, seeded[1])
    for _ in range(2):
        aggregates.recompute_order_day(db_session, platform_id=seeded[0].id, store_id=seeded[1].id,
                                       order_id=order.id)
    assert _figures(db_session, seeded[1]) == before


def test_reports_from_aggregates_equal_reports_from_the_orders(db_session, seeded):
    """Every report read from the aggregates equals the one the orders give (the store
    unbuilt), over November by week and over both months."""
    scope = reports.store_scope(db_session, store_id=seeded[1].id, language="en")
    periods = (NOVEMBER, ReportPeriod(date(2025, 10, 1), date(2025, 11, 30), "month"))
    functions = (reports.sales_report, reports.products_report, reports.customers_report, reports.vat_report)
    from_aggregates = [asdict(fn(db_session, scope=scope, period=p)) for fn in functions for p in periods]
    assert isinstance(reports._source(db_session, scope), aggregates.DailyReports)

    db_session.query(StoreBuild).delete()
    db_session.commit()
    assert reports._source(db_session, scope) is order_reports(db_session, platform_id=seeded[0].id)
    assert [asdict(fn(db_session, scope=scope, period=p)) for fn in functions for p in periods] == from_aggregates


def test_the_backfill_builds_stores_with_orders_placed_before(db_session, seeded):
    """A store without a build (its orders older than analytics) is built by the task, a month
    of days per transaction, to the figures the events had kept."""
    from modules.analytics.tasks.aggregates import run_build_daily_figures

    kept = _figures(db_session, seeded[1])
    db_session.query(StoreBuild).delete()
    db_session.query(DailyFigure).delete()
    db_session.commit()
    assert run_build_daily_figures() == 1
    db_session.commit()
    assert db_session.scalar(select(StoreBuild.days).where(StoreBuild.store_id == seeded[1].id)) > 0
    assert _figures(db_session, seeded[1]) == kept


def test_a_store_is_built_again_after_analytics_was_off(db_session, seeded):
    """Orders placed while analytics was off never reached it: once it is back on, reports
    read the orders until the task has built the store again."""
    from modules.analytics.tasks.aggregates import run_build_daily_figures
    from orion_server.modules.service import module_service

    platform, store = seeded
    scope = reports.store_scope(db_session, store_id=store.id, language="en")
    module_service.disable_module(db_session, platform.id, "analytics")
    missed = _place(db_session, store, day=date(2025, 11, 20))
    module_service.enable_module(db_session, platform.id, "analytics")
    db_session.commit()

    assert not aggregates.is_built(db_session, [store.id])
    report = reports.sales_report(db_session, scope=scope, period=NOVEMBER)
    kept = orders_between(db_session, store, NOVEMBER.first, NOVEMBER.last)
    assert missed.id in {o.id for o in kept}
    assert report.totals.revenue_cents == sum(o.total_cents for o in kept)

    assert run_build_daily_figures() == 1
    db_session.commit()  # SQLite keeps a reader's snapshot: see the task's commit
    assert aggregates.is_built(db_session, [store.id])
    assert reports.sales_report(db_session, scope=scope, period=NOVEMBER).totals == report.totals
