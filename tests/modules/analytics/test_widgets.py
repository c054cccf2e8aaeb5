"""Analytics on the dashboards: the last 7 days' sales on the store home, the platform's last 30
days on the admin dashboard, and its metrics through the metrics API."""

from __future__ import annotations

from datetime import timedelta

import pytest

from modules.analytics.services.periods import local_midnight, today
from modules.orders.services import order_service
from orion_server.i18n import format_money
from tests.modules.analytics.conftest import PRODUCTS, local_time
from tests.modules.core.test_dashboards import keys, widget


def _paid(db, store, *, ago: int, quantity: int):
    return order_service.create_order(
        db, store_id=store.id, lines=[dict(PRODUCTS[1], quantity=quantity)],
        customer={"email": "w@example.lu", "name": "W", "language": "en"},
        addresses={"shipping": {"name": "W", "street": "1, rue de la Gare", "postal_code": "L-1611",
                                "city": "Luxembourg", "country": "LU"}},
        shipping={"code": "pickup", "label": "Retrait", "price_cents": 0, "vat_rate": 17},
        payment_method="card", status="paid", placed_at=_placed(ago),
    )


def _placed(ago: int):
    """10:00 local ``ago`` days back; today's order at local midnight, which has always passed (the
    metrics API counts up to now, and before 10:00 a 10:00 order would lie in the future)."""
    day = today() - timedelta(days=ago)
    return local_midnight(day) if ago == 0 else local_time(day, 10)


@pytest.fixture
def week(shop, db_session):
    """Two paid orders in the last 7 days, one in the 7 before."""
    return shop, [_paid(db_session, shop[1], ago=ago, quantity=q) for ago, q in ((0, 2), (3, 1), (9, 4))]


def test_the_store_home_shows_the_last_7_days_sales(client, db_session, week, owner):
    """Revenue of the two recent orders, their count, the change and the best seller."""
    (platform, store), orders = week
    recent = orders[0].total_cents + orders[1].total_cents
    card = widget(client.get("/store/bakery/?lang=en").text, "analytics.sales_7_days")

    assert "Sales, last 7 days" in card
    assert format_money(recent, "en") in card
    assert "2 orders kept." in card
    change = round((recent - orders[2].total_cents) * 100 / orders[2].total_cents)
    assert f"{'+' if change > 0 else ''}{change} % against the days before." in card
    assert "Tarte aux fraises" in card


def test_the_admin_dashboard_shows_the_platforms_last_30_days(client, factories, db_session, week):
    """Every store of the platform, all three orders."""
    (platform, store), orders = week
    factories.login(client, factories.admin())
    page = client.get(f"/admin/?platform={platform.code}&lang=en").text

    assert "analytics.sales_30_days" in keys(page)
    card = widget(page, "analytics.sales_30_days")
    assert format_money(sum(o.total_cents for o in orders), "en") in card and "3 orders kept." in card


def test_the_metrics_api_gives_the_average_order_and_units(client, week, owner):
    """Numbers: the average order in cents, the units sold this month."""
    (platform, store), orders = week
    body = client.get("/api/v1/store/bakery/core/metrics?period=last_7_days&lang=en").json()
    found = {v["key"]: v for m in body["modules"] for v in m["values"]}
    assert found["analytics.units_sold"]["value"] == 3
    assert found["analytics.average_order"]["value"] == round((orders[0].total_cents + orders[1].total_cents) / 2)
    assert found["analytics.average_order"]["unit"] == "cents"
    assert found["analytics.average_order"]["label"] == "Average order"
