"""The dashboards: the store's home and the admin dashboard show the widgets of every module
enabled there, in a stable order, each provider isolated; the metrics API gives the figures."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update

from modules.catalog.services import catalog_service
from modules.customers.services import customer_service
from modules.inventory.services import inventory_service
from modules.orders.models import Order
from modules.orders.services import order_service
from orion_server.database import utcnow
from orion_server.i18n import format_money
from orion_server.modules.service import module_service

BREAD = {"sku": "BREAD", "title": "Pain", "quantity": 2, "unit_price_cents": 450, "vat_rate": 3}


@pytest.fixture
def shop(factories, db_session):
    """Platform ``lux`` with catalog, orders and inventory on; the store ``bakery`` with a
    published and a draft product, a low SKU, two paid orders (one shipped) and a customer."""
    platform = factories.platform(code="lux", name="Lux")
    for code in ("catalog", "orders", "inventory"):
        module_service.enable_module(db_session, platform.id, code)
    store = factories.store(platform, code="bakery", name="Bakery", languages=["en", "fr"], default_language="en")
    for slug, status in (("bread", "published"), ("cake", "draft")):
        catalog_service.create_product(
            db_session, store_id=store.id, slug=slug, translations={"en": {"title": slug.title(), "description": ""}},
            variants=[{"sku": slug.upper(), "options": {}, "stock": 10}], price_cents=450, vat_rate=300, status=status,
        )
    inventory_service.receive(db_session, store_id=store.id, sku="FLOUR", quantity=2, threshold=5)
    for n in range(2):
        order = order_service.create_order(
            db_session, store_id=store.id, lines=[BREAD], customer={"email": f"c{n}@example.lu", "name": f"Client {n}"}
        )
        order_service.change_status(db_session, order_id=order.id, store_id=store.id, to="paid")
    order_service.change_status(db_session, order_id=order.id, store_id=store.id, to="processing")
    order_service.change_status(db_session, order_id=order.id, store_id=store.id, to="shipped")
    customer_service.register(
        db_session, store_id=store.id, email="anna@example.lu", password="a-long-password-1",
        first_name="Anna", last_name="Weber", preferred_language="en",
    )
    return platform, store


def widget(page: str, key: str) -> str:
    """The HTML of the card ``key`` on ``page`` ('' when it is not there)."""
    found = re.search(rf'<div class="card widget[^"]*" data-widget="{re.escape(key)}">(.*?)\n  </div>', page, re.S)
    return html.unescape(found.group(1)) if found else ""


def keys(page: str) -> list[str]:
    """The widget keys on ``page``, in order."""
    return re.findall(r'data-widget="([^"]+)"', page)


def test_the_store_home_shows_the_widgets_of_the_enabled_modules_with_real_figures(client, factories, shop):
    """Orders to ship (the one paid, not the shipped one), revenue of both, products published
    with the draft waiting, the low SKU, the new customer and the unread messages."""
    platform, store = shop
    factories.login(client, factories.staff(store, role="owner"))

    page = client.get("/store/bakery/?lang=en").text

    assert "Orders to ship" in widget(page, "orders.to_ship") and "BAK-000001" in widget(page, "orders.to_ship")
    assert "BAK-000002" not in widget(page, "orders.to_ship")
    assert format_money(1800, "en") in widget(page, "orders.revenue_month")
    assert "from 2 paid orders" in widget(page, "orders.revenue_month")
    assert re.search(r'class="stat">1<', widget(page, "catalog.published") + "<")
    assert "1 draft to finish" in widget(page, "catalog.published")
    assert "FLOUR" in widget(page, "inventory.low_stock") and "2 left" in widget(page, "inventory.low_stock")
    assert "Anna Weber" in widget(page, "customers.new_month")
    assert "Unread messages" in widget(page, "messaging.unread")


def test_widgets_come_in_module_dependency_order(client, factories, shop):
    """The order of the cards is the registry's, whatever the data."""
    from orion_server.modules import registry

    factories.login(client, factories.staff(shop[1], role="owner"))
    shown = keys(client.get("/store/bakery/?lang=en").text)

    modules_in_order = [key.split(".")[0] for key in shown]
    positions = [list(registry.MODULES).index(code) for code in modules_in_order]
    assert positions == sorted(positions)
    assert shown.index("orders.to_ship") < shown.index("orders.revenue_month")


def test_a_disabled_module_shows_no_widget(client, factories, shop, db_session):
    """Catalog off on the platform: its card goes; the others stay."""
    module_service.disable_module(db_session, shop[0].id, "catalog")
    factories.login(client, factories.staff(shop[1], role="owner"))

    shown = keys(client.get("/store/bakery/?lang=en").text)

    assert "catalog.published" not in shown and "orders.to_ship" in shown


def test_a_failing_provider_shows_a_small_card_and_the_page_still_renders(client, factories, shop, monkeypatch):
    """Orders' widgets raise: one "not available" card for orders; the rest as usual."""

    def broken(self, db, store_id, language):
        raise RuntimeError("orders are down")

    monkeypatch.setattr("modules.orders.dashboard.OrdersWidgets.get_store_widgets", broken)
    factories.login(client, factories.staff(shop[1], role="owner"))

    response = client.get("/store/bakery/?lang=en")

    assert response.status_code == 200
    assert "orders.unavailable" in keys(response.text)
    assert "Not available right now." in response.text
    assert "catalog.published" in keys(response.text) and "orders.to_ship" not in keys(response.text)


def test_staff_see_only_the_widgets_their_permissions_allow(client, factories, shop):
    """A member who may see the catalog but not the orders gets no revenue card."""
    factories.login(client, factories.staff(shop[1], permissions=["core.dashboard.view", "catalog.view"]))

    shown = keys(client.get("/store/bakery/?lang=en").text)

    assert "catalog.published" in shown
    assert "orders.revenue_month" not in shown and "orders.to_ship" not in shown


def test_the_widgets_speak_the_pages_language(client, factories, shop):
    """In French: titles and money formatted for French."""
    factories.login(client, factories.staff(shop[1], role="owner"))

    page = client.get("/store/bakery/?lang=fr").text

    assert "Commandes à expédier" in widget(page, "orders.to_ship")
    assert format_money(1800, "fr") in widget(page, "orders.revenue_month")


def test_the_admin_dashboard_shows_the_chosen_platforms_widgets(client, factories, shop, db_session):
    """The main platform by default; ``?platform=lux`` shows lux's figures."""
    factories.platform(code="main", name="Main")
    factories.login(client, factories.admin())

    default = client.get("/admin/?lang=en").text
    lux = client.get("/admin/?platform=lux&lang=en").text

    assert "Main at a glance" in default and "orders.revenue_month" not in keys(default)
    assert "Lux at a glance" in lux
    assert format_money(1800, "en") in widget(lux, "orders.revenue_month")
    assert "2 orders placed this month" in widget(lux, "orders.revenue_month")
    assert "catalog.published" in keys(lux)


def test_the_store_metrics_api_gives_each_modules_figures(client, factories, shop):
    """Numbers, not text: revenue in cents, counts; labels in the asked language."""
    factories.login(client, factories.staff(shop[1], role="owner"))

    response = client.get("/api/v1/store/bakery/core/metrics?period=this_month&lang=en")

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["period"] == "this_month"
    figures = {v["key"]: v for m in body["modules"] for v in m["values"]}
    assert figures["orders.revenue"]["value"] == 1800 and figures["orders.revenue"]["unit"] == "cents"
    assert figures["orders.placed"]["value"] == 2 and figures["orders.to_ship"]["value"] == 1
    assert figures["catalog.products_published"]["value"] == 1
    assert figures["inventory.low_stock_items"]["value"] == 1
    assert figures["customers.new"]["value"] == 1
    assert figures["orders.revenue"]["label"] == "Revenue"


def test_the_period_decides_what_counts(client, factories, shop, db_session):
    """An order paid 40 days ago counts for this year (when in it) and all time, not the last 30 days."""
    old = db_session.query(Order).filter(Order.number == "BAK-000001").one()
    db_session.execute(
        update(Order).where(Order.id == old.id).values(paid_at=utcnow() - timedelta(days=40))
    )
    db_session.commit()
    factories.login(client, factories.staff(shop[1], role="owner"))

    def revenue(period: str) -> int:
        body = client.get(f"/api/v1/store/bakery/core/metrics?period={period}").json()
        return next(v["value"] for m in body["modules"] for v in m["values"] if v["key"] == "orders.revenue")

    assert revenue("last_30_days") == 900
    assert revenue("all_time") == 1800


def test_an_unknown_period_is_a_422_naming_the_field(client, factories, shop):
    """Bad input gets a field message, never a 500."""
    factories.login(client, factories.staff(shop[1], role="owner"))

    response = client.get("/api/v1/store/bakery/core/metrics?period=forever")

    assert response.status_code == 422
    assert response.json()["fields"][0]["field"] == "period"


def test_metrics_of_modules_a_member_may_not_view_are_left_out(client, factories, shop):
    """A member with the dashboard but not orders.view gets no order figures."""
    factories.login(client, factories.staff(shop[1], permissions=["core.dashboard.view", "catalog.view"]))

    body = client.get("/api/v1/store/bakery/core/metrics").json()

    assert "orders" not in [m["module"] for m in body["modules"]]
    assert "catalog" in [m["module"] for m in body["modules"]]


def test_the_admin_metrics_api_answers_per_platform_and_404_for_an_unknown_one(client, factories, shop):
    """The platform's figures over all its stores; an unknown code is a 404."""
    factories.platform(code="main", name="Main")
    factories.login(client, factories.admin())

    found = client.get("/api/v1/admin/core/platforms/lux/metrics")
    missing = client.get("/api/v1/admin/core/platforms/nowhere/metrics")

    figures: dict[str, Any] = {v["key"]: v["value"] for m in found.json()["modules"] for v in m["values"]}
    assert found.status_code == 200 and figures["orders.revenue"] == 1800
    assert missing.status_code == 404
