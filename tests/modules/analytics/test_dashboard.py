"""The analytics dashboard (Professional): KPIs of today, 7 and 30 days beside the days before,
the trend charts and the best sellers; locked with the upgrade message below Professional, and
the basic report pages say what the plan withholds."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from modules.analytics.services import dashboard, reports
from modules.analytics.services.periods import today
from modules.billing.services.subscription_service import subscription_service
from modules.orders.services import order_service
from orion_server.i18n import format_money
from orion_server.modules.service import module_service
from tests.modules.analytics.conftest import PRODUCTS, local_time, orders_between


def _plan(db, shop, tier: str) -> None:
    module_service.enable_module(db, shop[0].id, "billing")
    subscription_service.activate(db, store_id=shop[1].id, tier=tier)
    db.commit()


def _order(db, store, *, day: date, sku: int, quantity: int, status: str = "paid"):
    return order_service.create_order(
        db, store_id=store.id, lines=[dict(PRODUCTS[sku], quantity=quantity)],
        customer={"email": f"c{day.day}@example.lu", "name": "Client", "language": "en"},
        addresses={"shipping": {"name": "Client", "street": "1, rue de la Gare", "postal_code": "L-1611",
                                "city": "Luxembourg", "country": "LU"}},
        shipping={"code": "pickup", "label": "Retrait", "price_cents": 0, "vat_rate": 17},
        payment_method="card", status=status, placed_at=local_time(day, 10),
    )


@pytest.fixture
def recent(shop, db_session):
    """Orders of today, 3, 10, 20 and 40 days ago (one cancelled today)."""
    on = today()
    placed = [_order(db_session, shop[1], day=on - timedelta(days=ago), sku=ago % len(PRODUCTS), quantity=ago + 1)
              for ago in (0, 3, 10, 20, 40)]
    cancelled = _order(db_session, shop[1], day=on, sku=0, quantity=9, status="pending_payment")
    order_service.change_status(db_session, order_id=cancelled.id, store_id=shop[1].id, to="cancelled")
    return shop, placed


def test_the_kpis_compare_each_window_with_the_days_before(db_session, recent):
    """Today, 7 and 30 days: orders and revenue of the kept orders, and of the days before."""
    shop, _ = recent
    on = today()
    scope = reports.store_scope(db_session, store_id=shop[1].id, language="en")
    board = dashboard.dashboard(db_session, scope=scope, on=on)

    for kpi in board.kpis:
        first = on - timedelta(days=kpi.days - 1)
        kept = orders_between(db_session, shop[1], first, on)
        before = orders_between(db_session, shop[1], first - timedelta(days=kpi.days), first - timedelta(days=1))
        assert (kpi.current.orders, kpi.current.revenue_cents) == (len(kept), sum(o.total_cents for o in kept))
        assert (kpi.previous.orders, kpi.previous.revenue_cents) == (len(before), sum(o.total_cents for o in before))
    assert [k.days for k in board.kpis] == [1, 7, 30]
    assert board.kpis[0].current.orders == 1
    kept = orders_between(db_session, shop[1], on - timedelta(days=29), on)
    revenue: dict[str, int] = {}
    for order in kept:
        for line in order.lines:
            revenue[line.sku] = revenue.get(line.sku, 0) + line.line_total_cents
    assert [(p.key, p.revenue_cents) for p in board.top_products] == sorted(revenue.items(), key=lambda i: -i[1])


def test_the_dashboard_is_locked_on_essential_with_the_upgrade_message(client, db_session, recent, owner):
    """403 and the message naming Professional; the basic reports answer and point to it."""
    _plan(db_session, recent[0], "essential")
    response = client.get("/store/bakery/analytics/dashboard?lang=en")
    assert response.status_code == 403
    assert "Analytics dashboard is part of the Professional plan and above; this store is on Essential." in response.text

    report = client.get("/store/bakery/analytics?lang=en")
    assert report.status_code == 200
    assert "Analytics dashboard comes with the Professional plan." in report.text
    assert "Advanced analytics comes with the Business plan." in report.text


def test_the_dashboard_opens_on_professional(client, db_session, recent, owner):
    """200 with today's revenue, the trend charts as images and the best sellers; the basic
    pages still point to what Business adds, not to the dashboard."""
    _plan(db_session, recent[0], "professional")
    today_order = recent[1][0]
    response = client.get("/store/bakery/analytics/dashboard?lang=en")
    assert response.status_code == 200
    html = response.text
    assert "Last 7 days" in html and "Best sellers, last 30 days" in html
    assert format_money(today_order.total_cents, "en") in html
    assert "/store/bakery/analytics/charts/trend_revenue.svg?" in html
    chart = client.get(html.split('<img src="')[1].split('"')[0].replace("&amp;", "&"))
    assert chart.status_code == 200 and chart.headers["content-type"].startswith("image/svg+xml")
    assert b"<script" not in chart.content

    report = client.get("/store/bakery/analytics?lang=en").text
    assert "Analytics dashboard comes with" not in report
    assert "Advanced analytics comes with the Business plan." in report
