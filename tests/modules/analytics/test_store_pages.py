"""The store's report pages: figures in the page's language, the period form and its messages,
the empty state, CSV exports, and who may see them."""

from __future__ import annotations

import csv
import io
from datetime import date

from orion_server.i18n import format_money
from tests.modules.analytics.conftest import orders_between

NOVEMBER = "from=2025-11-01&to=2025-11-30&by=week"


def test_the_sales_report_shows_revenue_in_the_language_of_the_page(client, seeded, owner, db_session):
    """Revenue and average order formatted for French, the tables beside, a CSV link per table."""
    kept = orders_between(db_session, seeded[1], date(2025, 11, 1), date(2025, 11, 30))
    revenue = sum(o.total_cents for o in kept)

    response = client.get(f"/store/bakery/analytics?lang=fr&{NOVEMBER}")

    assert response.status_code == 200
    html = response.text
    assert format_money(revenue, "fr") in html
    assert format_money(round(revenue / len(kept)), "fr") in html
    assert "Chiffre d&#39;affaires" in html and "Commandes par statut" in html
    assert 'href="/store/bakery/analytics/export/sales.csv?from=2025-11-01&amp;to=2025-11-30&amp;by=week"' in html
    assert '<a href="/store/bakery/analytics" class="active">Rapports</a>' in html


def test_each_report_page_answers(client, seeded, owner):
    """Products, customers and VAT pages, in German."""
    for path, text in (("products", "Top-Produkte nach Umsatz"), ("customers", "Neue Kunden"),
                       ("vat", "Vereinnahmte MwSt. je Satz")):
        response = client.get(f"/store/bakery/analytics/{path}?lang=de&{NOVEMBER}")
        assert response.status_code == 200, path
        assert text in response.text


def test_the_vat_page_prints_each_rate_and_the_total(client, seeded, owner, db_session):
    """The total VAT equals the VAT of the invoices of the kept orders."""
    kept = orders_between(db_session, seeded[1], date(2025, 11, 1), date(2025, 11, 30))
    html = client.get(f"/store/bakery/analytics/vat?lang=en&{NOVEMBER}").text
    assert format_money(sum(o.vat_cents for o in kept), "en") in html
    assert "17 %" in html and "3 %" in html


def test_a_period_it_cannot_use_is_explained_in_the_form(client, seeded, owner):
    """Unreadable or reversed dates mark their field and keep what was typed (422)."""
    response = client.get("/store/bakery/analytics?lang=en&from=2025-11-30&to=2025-11-01")
    assert response.status_code == 422
    assert "The end date must not be before the start date." in response.text
    assert 'aria-invalid="true"' in response.text and 'value="2025-11-30"' in response.text
    response = client.get("/store/bakery/analytics?lang=fr&from=demain")
    assert "Saisissez une date comme 2026-12-01." in response.text


def test_a_period_without_orders_says_so(client, shop, owner):
    """The empty state explains where figures come from instead of showing zeros."""
    html = client.get("/store/bakery/analytics?lang=en").text
    assert "No orders in this period" in html
    assert "<table" not in html


def test_a_table_downloads_as_csv(client, seeded, owner, db_session):
    """The VAT table as a CSV attachment, amounts with a dot, the total last."""
    kept = orders_between(db_session, seeded[1], date(2025, 11, 1), date(2025, 11, 30))
    response = client.get(f"/store/bakery/analytics/export/vat.csv?{NOVEMBER}")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"] == 'attachment; filename="bakery-vat-2025-11-01-2025-11-30.csv"'
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["vat_rate_percent", "net", "vat", "gross", "currency"]
    assert rows[-1][0] == "total" and rows[-1][3] == f"{sum(o.total_cents for o in kept) / 100:.2f}"


def test_every_table_exports_and_an_unknown_one_is_not_found(client, seeded, owner):
    """One CSV per table, each with a header row."""
    for table in ("sales", "statuses", "payments", "shipping", "products", "categories", "customers", "vat"):
        response = client.get(f"/store/bakery/analytics/export/{table}.csv?{NOVEMBER}")
        assert response.status_code == 200, table
        assert response.text.splitlines()[0]
    assert client.get("/store/bakery/analytics/export/secrets.csv").status_code == 404


def test_staff_without_the_permission_are_refused(client, seeded, factories):
    """The built-in staff role does not see reports; a role with analytics.view does."""
    factories.login(client, factories.staff(seeded[1]))
    assert client.get("/store/bakery/analytics").status_code == 403
    factories.login(client, factories.staff(seeded[1], permissions=["analytics.view"]))
    assert client.get("/store/bakery/analytics").status_code == 200


def test_the_reports_are_gone_where_analytics_is_off(client, shop, owner, db_session):
    """Disabling the module on the platform removes the page and its menu entry."""
    from orion_server.modules.service import module_service

    module_service.disable_module(db_session, shop[0].id, "analytics")
    assert client.get("/store/bakery/analytics").status_code == 404
    assert "/store/bakery/analytics" not in client.get("/store/bakery/orders").text


def test_each_chart_is_an_svg_image_without_script(client, seeded, owner):
    """Every chart answers SVG drawn in the page's language, light or dark, with no script in it
    and a policy of its own; the page links it through an image with a dark variant."""
    html = client.get(f"/store/bakery/analytics?lang=fr&{NOVEMBER}").text
    assert '<img src="/store/bakery/analytics/charts/sales.svg?from=2025-11-01&amp;to=2025-11-30&amp;by=week"' in html
    assert 'srcset="/store/bakery/analytics/charts/sales.svg?from=2025-11-01&amp;to=2025-11-30&amp;by=week&amp;theme=dark"' in html
    for chart in ("sales", "statuses", "payments", "shipping", "products_revenue", "products_units", "categories",
                  "customers", "vat"):
        for theme in ("light", "dark"):
            response = client.get(f"/store/bakery/analytics/charts/{chart}.svg?lang=fr&{NOVEMBER}&theme={theme}")
            assert response.status_code == 200, chart
            assert response.headers["content-type"] == "image/svg+xml"
            assert "script-src" not in response.headers["content-security-policy"]
            assert "<svg" in response.text and "<script" not in response.text
    sales = client.get(f"/store/bakery/analytics/charts/sales.svg?lang=fr&{NOVEMBER}").text
    assert "Période précédente" in sales and "\xa0€" in sales
    assert "#1c2028" in client.get(f"/store/bakery/analytics/charts/vat.svg?{NOVEMBER}&theme=dark").text
    assert client.get(f"/store/bakery/analytics/charts/pie.svg?{NOVEMBER}").status_code == 404
