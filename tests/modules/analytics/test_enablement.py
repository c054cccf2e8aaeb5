"""Analytics off on one platform: its stores lose the menu entry, the widget and the pages;
the stores of another platform keep them."""

from __future__ import annotations

from datetime import timedelta

from modules.analytics.services.periods import today
from modules.billing.services.subscription_service import subscription_service
from orion_server.modules.service import module_service
from tests.modules.analytics.conftest import local_time
from tests.modules.core.test_dashboards import keys

PATHS = ("", "/products", "/customers", "/vat", "/dashboard", "/statistics", "/export/sales.csv",
         "/charts/sales.svg")


def _on(db, factories, code: str):
    platform = factories.platform(code=code, name=code.title())
    for module in ("catalog", "orders", "analytics", "billing"):
        module_service.enable_module(db, platform.id, module)
    store = factories.store(platform, code=f"{code}-shop", name=f"{code} shop", languages=["en"],
                            default_language="en")
    subscription_service.activate(db, store_id=store.id, tier="business")  # every analytics page
    db.commit()
    return platform, store


def _sees(client, store) -> dict[str, object]:
    base = f"/store/{store.code}/analytics"
    home = client.get(f"/store/{store.code}/?lang=en").text
    return {
        "menu": f'href="{base}"' in home,
        "widget": "analytics.sales_7_days" in keys(home),
        "pages": {path: client.get(f"{base}{path}?lang=en").status_code for path in PATHS},
    }


def test_disabling_analytics_on_one_platform_leaves_the_others(client, factories, db_session, main_platform):
    """Both on: menu, widget and pages (200) at both stores; analytics off on ``beta``: beta's
    store has none of them (404), alpha's keeps all; the admin report follows."""
    from modules.orders.services import order_service

    alpha, alpha_store = _on(db_session, factories, "alpha")
    beta, beta_store = _on(db_session, factories, "beta")
    for store in (alpha_store, beta_store):
        order_service.create_order(
            db_session, store_id=store.id, lines=[{"sku": "B", "title": "Pain", "quantity": 1,
                                                   "unit_price_cents": 450, "vat_rate": 3}],
            customer={"email": "a@example.lu", "name": "A"}, status="paid",
            placed_at=local_time(today() - timedelta(days=1), 10),
        )
    owners = {store.code: factories.staff(store, role="owner") for store in (alpha_store, beta_store)}

    def seen(store):
        factories.login(client, owners[store.code])
        return _sees(client, store)

    every = dict.fromkeys(PATHS, 200)
    for store in (alpha_store, beta_store):
        assert seen(store) == {"menu": True, "widget": True, "pages": every}, store.code

    module_service.disable_module(db_session, beta.id, "analytics")
    db_session.commit()

    assert seen(alpha_store) == {"menu": True, "widget": True, "pages": every}
    assert seen(beta_store) == {"menu": False, "widget": False, "pages": dict.fromkeys(PATHS, 404)}

    # admins browse the main platform's host: the module gate of admin pages asks about that one
    module_service.enable_module(db_session, main_platform.id, "analytics")
    db_session.commit()
    factories.login(client, factories.admin())
    assert client.get("/admin/analytics?platform=alpha&lang=en").status_code == 200
    assert client.get("/admin/analytics?platform=beta&lang=en").status_code == 404
    assert "analytics.sales_30_days" in keys(client.get("/admin/?platform=alpha&lang=en").text)
    assert "analytics.sales_30_days" not in keys(client.get("/admin/?platform=beta&lang=en").text)
