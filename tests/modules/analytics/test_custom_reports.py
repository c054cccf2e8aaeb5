"""Custom reports (Enterprise): figures worked out again here from the seeded orders themselves,
saved reports, their validation, the pages, the plan that opens them and whose reports they are."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date, timedelta

import pytest

from modules.analytics.exceptions import ReportInputError
from modules.analytics.services import custom_reports, reports
from modules.analytics.services.custom_reports import ReportDefinition
from modules.analytics.services.periods import ReportPeriod
from modules.billing.services.subscription_service import subscription_service
from modules.contracts.metrics import LOCAL_ZONE
from tests.modules.analytics.conftest import orders_between

NOVEMBER = ReportPeriod(date(2025, 11, 1), date(2025, 11, 30), "week")
BASE = "/store/bakery/analytics/custom"
QUERY = "range=custom&from=2025-11-01&to=2025-11-30"


def _scope(db, shop, language="en"):
    return reports.store_scope(db, store_id=shop[1].id, language=language)


def _day(order):
    return order.placed_at.astimezone(LOCAL_ZONE).date()


def _run(db, shop, dimensions, measures, period=NOVEMBER, language="en"):
    definition = ReportDefinition(tuple(dimensions), tuple(measures))
    return custom_reports.run_report(db, scope=_scope(db, shop, language), definition=definition, period=period)


@pytest.fixture
def enterprise(seeded, db_session):
    subscription_service.activate(db_session, store_id=seeded[1].id, tier="enterprise")
    return seeded


def _week(day):
    return max(day - timedelta(days=day.weekday()), NOVEMBER.first)


def test_weeks_by_payment_method_match_the_orders(db_session, seeded):
    """Orders, revenue, VAT, customers and the average per week and payment method."""
    report = _run(db_session, seeded, ["week", "payment_method"],
                  ["orders", "revenue", "average_order", "vat", "customers", "units"])
    expected: dict[tuple[str, str], dict] = defaultdict(lambda: {"orders": 0, "revenue": 0, "vat": 0,
                                                                  "units": 0, "emails": set()})
    kept = orders_between(db_session, seeded[1], NOVEMBER.first, NOVEMBER.last)
    for order in kept:
        figures = expected[(_week(_day(order)).isoformat(), order.payment_method_code)]
        figures["orders"] += 1
        figures["revenue"] += order.total_cents
        figures["vat"] += order.vat_cents
        figures["units"] += sum(line.quantity for line in order.lines)
        figures["emails"].add(order.customer_email)

    shown = {row.keys: row.values for row in report.rows}
    assert set(shown) == set(expected)
    for keys, figures in expected.items():
        assert shown[keys] == {"orders": figures["orders"], "revenue": figures["revenue"], "vat": figures["vat"],
                               "units": figures["units"], "customers": len(figures["emails"]),
                               "average_order": round(figures["revenue"] / figures["orders"])}, keys
    assert [row.keys[0] for row in report.rows] == sorted(row.keys[0] for row in report.rows)
    assert report.total["orders"] == len(kept)
    assert report.total["customers"] == len({o.customer_email for o in kept})


def test_the_figures_agree_with_the_other_reports(db_session, seeded):
    """The same period by day adds up to the sales report; by status, products and customers
    types agree with theirs."""
    scope = _scope(db_session, seeded)
    period = ReportPeriod(NOVEMBER.first, NOVEMBER.last, "day")
    sales = reports.sales_report(db_session, scope=scope, period=period)
    by_day = _run(db_session, seeded, ["day"], ["orders", "revenue"], period)
    assert [(row.keys[0], row.values["orders"], row.values["revenue"]) for row in by_day.rows] == [
        (p.day.isoformat(), p.orders, p.revenue_cents) for p in sales.points]
    assert by_day.total["revenue"] == sales.totals.revenue_cents

    products = reports.products_report(db_session, scope=scope, period=period, top=100)
    by_product = _run(db_session, seeded, ["product"], ["revenue", "units", "orders"], period)
    assert [(row.keys[0], row.values["revenue"], row.values["units"], row.values["orders"])
            for row in by_product.rows] == [(p.key, p.revenue_cents, p.units, p.orders) for p in products.by_revenue]

    split = reports.customers_report(db_session, scope=scope, period=period).current
    by_type = _run(db_session, seeded, ["customer_type"], ["customers", "orders", "revenue"], period)
    shown = {row.keys[0]: row.values for row in by_type.rows}
    assert shown.get("new", {}).get("customers", 0) == split.new_customers
    assert shown.get("returning", {}).get("customers", 0) == split.returning_customers
    assert shown.get("returning", {}).get("revenue", 0) == split.returning_revenue_cents


def test_months_by_category_sum_the_lines_filed_under_each(db_session, seeded, factories):
    """Lines of filed SKUs under their category; the others under no category."""
    from modules.catalog.services import catalog_service

    store = seeded[1]
    sweet = catalog_service.save_category(db_session, store_id=store.id, slug="patisserie", names={"en": "Pastry"})
    factories.product(store, "cake", sku="CAKE-1", category_id=sweet.id)
    factories.product(store, "jam", sku="JAM-1", category_id=sweet.id)
    period = ReportPeriod(date(2025, 10, 1), date(2025, 11, 30), "month")
    report = _run(db_session, seeded, ["month", "category"], ["units", "revenue", "orders"], period)

    expected: dict[tuple[str, str], list] = defaultdict(lambda: [0, 0, set()])
    for order in orders_between(db_session, store, period.first, period.last):
        for line in order.lines:
            figures = expected[(_day(order).replace(day=1).isoformat(),
                                "Pastry" if line.sku in ("CAKE-1", "JAM-1") else "")]
            figures[0] += line.quantity
            figures[1] += line.line_total_cents
            figures[2].add(order.id)
    assert {row.keys: [row.values["units"], row.values["revenue"], row.values["orders"]] for row in report.rows} == {
        keys: [units, cents, len(ids)] for keys, (units, cents, ids) in expected.items()}
    assert "No category" in {row.labels[1] for row in report.rows}


def test_ranges_count_back_from_the_day_opened():
    on = date(2026, 3, 15)
    assert (custom_reports.range_period("this_month", on=on).first, custom_reports.range_period(
        "this_month", on=on).last) == (date(2026, 3, 1), on)
    last_month = custom_reports.range_period("last_month", on=on)
    assert (last_month.first, last_month.last) == (date(2026, 2, 1), date(2026, 2, 28))
    assert custom_reports.range_period("last_12_months", on=on).first == date(2025, 4, 1)
    assert custom_reports.range_period("last_30_days", on=on).days == 30


def test_a_definition_it_cannot_run_names_each_field():
    with pytest.raises(ReportInputError) as caught:
        custom_reports.read_request(dimensions=["day", "week", "status"], measures=[], range_code="custom",
                                    first="2025-11-30", last="2025-11-01", on=date(2025, 12, 1))
    messages = caught.value.field_messages("en")
    assert messages["dimensions"] == "Choose one or two dimensions."
    assert messages["measures"] == "Choose at least one measure."
    assert messages["to"] == "The end date must not be before the start date."
    with pytest.raises(ReportInputError) as caught:
        custom_reports.read_request(dimensions=["day", "week"], measures=["orders"], range_code="last_12_months",
                                    first="", last="", on=date(2025, 12, 1))
    assert caught.value.field_messages("de")["dimensions"] == "Wählen Sie höchstens eine Zeitdimension."


def test_a_saved_report_reopens_with_the_same_result(db_session, seeded):
    store = seeded[1]
    saved = custom_reports.save_report(db_session, store_id=store.id, name="  Ventes   par statut ",
                                       dimensions=["status"], measures=["revenue", "orders"],
                                       default_range="this_month")
    assert saved.name == "Ventes par statut"
    assert [r.name for r in custom_reports.list_saved(db_session, store_id=store.id)] == ["Ventes par statut"]
    again = custom_reports.get_saved(db_session, store_id=store.id, report_id=saved.id)
    first = _run(db_session, seeded, ["status"], ["orders", "revenue"])
    reopened = custom_reports.run_report(db_session, scope=_scope(db_session, seeded),
                                         definition=custom_reports.definition_of(again), period=NOVEMBER)
    assert reopened.rows == first.rows and reopened.total == first.total

    with pytest.raises(ReportInputError) as caught:
        custom_reports.save_report(db_session, store_id=store.id, name="ventes PAR statut", dimensions=["status"],
                                   measures=["orders"], default_range="forever")
    messages = caught.value.field_messages("fr")
    assert messages["name"] == "Un rapport nommé « ventes PAR statut » existe déjà."
    assert "default_range" in messages

    custom_reports.rename_report(db_session, store_id=store.id, report_id=saved.id, name="Statuts")
    assert custom_reports.get_saved(db_session, store_id=store.id, report_id=saved.id).name == "Statuts"
    custom_reports.delete_report(db_session, store_id=store.id, report_id=saved.id)
    assert custom_reports.list_saved(db_session, store_id=store.id) == []


# -- pages ------------------------------------------------------------------------------------


def test_the_builder_is_locked_below_enterprise(client, seeded, owner, db_session):
    """Professional answers 403 with the upgrade message; Enterprise shows the builder."""
    subscription_service.activate(db_session, store_id=seeded[1].id, tier="professional")
    refused = client.get(f"{BASE}?lang=en")
    assert refused.status_code == 403
    assert "Enterprise" in refused.text
    assert client.get(f"{BASE}/export.csv?d=status&m=orders&{QUERY}").status_code == 403

    subscription_service.activate(db_session, store_id=seeded[1].id, tier="enterprise")
    page = client.get(f"{BASE}?lang=en")
    assert page.status_code == 200
    assert "Build a report" in page.text and "No saved reports yet" in page.text


def test_the_builder_shows_the_table_and_its_csv(client, enterprise, owner, db_session):
    """The table in the page's language, the same figures in the CSV, the chart over time."""
    from orion_server.i18n import format_money

    kept = orders_between(db_session, enterprise[1], NOVEMBER.first, NOVEMBER.last)
    page = client.get(f"{BASE}?lang=fr&d=week&d=shipping_method&m=revenue&m=orders&{QUERY}")
    assert page.status_code == 200
    assert format_money(sum(o.total_cents for o in kept), "fr") in page.text
    assert "Livraison" in page.text
    assert f'src="{BASE}/chart.svg?d=week&amp;d=shipping_method&amp;m=orders&amp;m=revenue' in page.text
    assert "<script>" not in page.text and ' style="' not in page.text  # CSP-strict: nothing inline

    exported = client.get(f"{BASE}/export.csv?d=week&d=shipping_method&m=revenue&m=orders&{QUERY}")
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert rows[0] == ["week", "shipping_method", "orders", "revenue", "currency"]
    report = _run(db_session, enterprise, ["week", "shipping_method"], ["orders", "revenue"])
    assert rows[1:-1] == [[*row.keys, str(row.values["orders"]), f"{row.values['revenue'] / 100:.2f}", "EUR"]
                          for row in report.rows]
    assert rows[-1] == ["total", "", str(len(kept)), f"{sum(o.total_cents for o in kept) / 100:.2f}", "EUR"]

    chart = client.get(f"{BASE}/chart.svg?d=week&d=shipping_method&m=revenue&{QUERY}&theme=dark")
    assert chart.status_code == 200 and chart.headers["content-type"] == "image/svg+xml"
    assert "<svg" in chart.text and "<script" not in chart.text
    assert client.get(f"{BASE}/chart.svg?d=status&m=orders&{QUERY}").status_code == 404


def test_bad_input_comes_back_with_messages(client, enterprise, owner):
    page = client.get(f"{BASE}?lang=de&d=day&d=month&m=orders&range=custom&from=gestern&to=2025-11-30")
    assert page.status_code == 422
    assert "Wählen Sie höchstens eine Zeitdimension." in page.text
    assert "Geben Sie ein Datum wie 2026-12-01 ein." in page.text
    assert 'aria-invalid="true"' in page.text


def test_saving_opening_renaming_and_deleting(client, enterprise, owner, db_session):
    store = enterprise[1]
    saved = client.post(f"{BASE}/save?lang=en", data={"csrf_token": owner, "name": "By status", "d": "status",
                                                      "m": ["orders", "revenue"], "default_range": "last_month"},
                        follow_redirects=False)
    assert saved.status_code == 303, saved.text
    db_session.rollback()  # see what the request committed
    report = custom_reports.list_saved(db_session, store_id=store.id)[0]
    assert saved.headers["location"].startswith(f"{BASE}/{report.id}")
    opened = client.get(f"{BASE}/{report.id}?lang=en&{QUERY}")
    assert opened.status_code == 200 and "By status" in opened.text and "Being prepared" in opened.text

    again = client.post(f"{BASE}/save?lang=en", data={"csrf_token": owner, "name": "by STATUS", "d": "status",
                                                      "m": "orders", "default_range": "last_month"})
    assert again.status_code == 422
    assert "A report named “by STATUS” already exists." in again.text

    assert client.post(f"{BASE}/{report.id}/rename", data={"csrf_token": owner, "name": "Statuses"},
                       follow_redirects=False).status_code == 303
    db_session.rollback()
    assert custom_reports.get_saved(db_session, store_id=store.id, report_id=report.id).name == "Statuses"
    assert client.post(f"{BASE}/{report.id}/delete", data={"csrf_token": owner},
                       follow_redirects=False).status_code == 303
    assert client.get(f"{BASE}/{report.id}").status_code == 404
    assert client.post(f"{BASE}/{report.id}/delete", data={}).status_code in (400, 403)


def test_another_stores_report_is_not_found(client, enterprise, owner, db_session, factories):
    other = factories.store(enterprise[0], code="bookshop", name="Librairie")
    theirs = custom_reports.save_report(db_session, store_id=other.id, name="Secret", dimensions=["status"],
                                        measures=["orders"], default_range="this_month")
    assert client.get(f"{BASE}/{theirs.id}").status_code == 404
    assert client.post(f"{BASE}/{theirs.id}/rename", data={"csrf_token": owner, "name": "Mine"}).status_code == 404
    assert client.post(f"{BASE}/{theirs.id}/delete", data={"csrf_token": owner}).status_code == 404
    assert custom_reports.get_saved(db_session, store_id=other.id, report_id=theirs.id).name == "Secret"


def test_viewers_run_reports_but_only_managers_save_them(client, enterprise, factories):
    store = enterprise[1]
    viewer = factories.staff(store, permissions=["analytics.view"])
    csrf = factories.login(client, viewer)
    assert client.get(f"{BASE}?d=status&m=orders&{QUERY}").status_code == 200
    assert client.post(f"{BASE}/save", data={"csrf_token": csrf, "name": "X", "d": "status", "m": "orders",
                                             "default_range": "this_month"}).status_code == 403
    manager = factories.staff(store, permissions=["analytics.view", "analytics.reports.manage"])
    csrf = factories.login(client, manager)
    assert client.post(f"{BASE}/save", data={"csrf_token": csrf, "name": "X", "d": "status", "m": "orders",
                                             "default_range": "this_month"},
                       follow_redirects=False).status_code == 303


def test_the_report_pages_lead_to_custom_reports_or_say_which_plan_has_them(client, seeded, owner, db_session):
    """Below Enterprise, the reports show the locked feature and its plan; on it, the link."""
    subscription_service.activate(db_session, store_id=seeded[1].id, tier="professional")
    html = client.get("/store/bakery/analytics/vat?lang=en").text
    assert 'class="plan-locked"' in html and "Custom reports" in html and "Enterprise" in html
    assert f'href="{BASE}"' not in html

    subscription_service.activate(db_session, store_id=seeded[1].id, tier="enterprise")
    html = client.get("/store/bakery/analytics?lang=de").text
    assert 'class="plan-locked"' not in html
    assert f'href="{BASE}">Individuelle Berichte</a>' in html
