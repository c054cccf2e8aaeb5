"""The admin's sales report of a platform's stores together: totals of every store, each store's
share, only for platforms in the admin's reach where analytics is on."""

from __future__ import annotations

from datetime import date

from orion_server.i18n import format_money
from orion_server.modules.service import module_service
from tests.modules.analytics.conftest import orders_between, seed_orders

QUERY = "from=2025-11-01&to=2025-11-30&by=week"


def test_the_platform_report_adds_up_every_store(client, factories, db_session, seeded):
    """Two stores' November revenue together, and each store's in its row."""
    platform, bakery = seeded
    other = factories.store(platform, code="cafe", name="Café Test")
    seed_orders(db_session, other, count=20, seed=3)
    first, last = date(2025, 11, 1), date(2025, 11, 30)
    each = {store.code: sum(o.total_cents for o in orders_between(db_session, store, first, last))
            for store in (bakery, other)}
    factories.login(client, factories.admin())

    response = client.get(f"/admin/analytics?platform={platform.code}&lang=en&{QUERY}")

    assert response.status_code == 200
    html = response.text
    assert format_money(sum(each.values()), "en") in html
    stores = html.split('id="table-stores"')[1].split("</table>")[0]
    for code, cents in each.items():
        assert f"({code})" in stores and format_money(cents, "en") in stores
    assert stores.index("(bakery)" if each["bakery"] >= each["cafe"] else "(cafe)") < stores.index(
        "(cafe)" if each["bakery"] >= each["cafe"] else "(bakery)")


def test_the_platform_report_is_404_where_analytics_is_off(client, factories, db_session, seeded):
    """Another platform of the admin's reach, analytics off there: 404."""
    other = factories.platform(code="elsewhere", name="Elsewhere")
    module_service.enable_module(db_session, other.id, "orders")
    db_session.commit()
    factories.login(client, factories.admin())
    assert client.get("/admin/analytics?platform=elsewhere&lang=en").status_code == 404
    assert client.get(f"/admin/analytics?platform={seeded[0].code}&lang=en").status_code == 200
