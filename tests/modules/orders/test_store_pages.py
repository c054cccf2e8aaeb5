"""The store dashboard: order list with filters, detail, status buttons, notes, invoice, slip."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import update

from modules.orders.models import Order
from modules.orders.services import order_service


def test_an_empty_store_is_told_where_orders_come_from(client, shop, owner):
    """Without orders the list explains how the first one arrives; the menu links to it."""
    html = client.get("/store/bakery/orders?lang=en").text

    assert "No orders yet." in html
    assert "Share your shop" in html
    assert '<a href="/store/bakery/orders" class="active">Orders</a>' in html


def test_the_list_shows_orders_newest_first_with_status_and_total(client, shop, owner, place):
    """Each row links to the order and shows its total in the page's language."""
    place(shop[1])
    place(shop[1], customer={"email": "jean@example.lu", "name": "Jean Muller"})

    html = client.get("/store/bakery/orders?lang=fr").text

    assert html.index("BAK-000002") < html.index("BAK-000001")
    assert 'href="/store/bakery/orders/BAK-000001"' in html
    assert "43,85\xa0€" in html
    assert "En attente de paiement" in html


def test_filters_by_status_customer_number_and_date(client, shop, owner, place, db_session):
    """Each filter narrows the list; a filter that matches nothing says how to widen it."""
    paid = place(shop[1], customer={"email": "jean@example.lu", "name": "Jean Muller"})
    order_service.change_status(db_session, order_id=paid.id, store_id=shop[1].id, to="paid")
    old = place(shop[1])
    db_session.execute(
        update(Order).where(Order.id == old.id).values(placed_at=datetime(2025, 3, 10, 12, tzinfo=UTC))
    )
    db_session.commit()

    by_status = client.get("/store/bakery/orders?lang=en&status=paid").text
    by_customer = client.get("/store/bakery/orders?lang=en&customer=muller").text
    by_number = client.get("/store/bakery/orders?lang=en&q=000002").text
    by_date = client.get("/store/bakery/orders?lang=en&date_from=2025-03-01&date_to=2025-03-31").text
    nothing = client.get("/store/bakery/orders?lang=en&status=refunded").text

    assert "BAK-000001" in by_status and "BAK-000002" not in by_status
    assert "BAK-000001" in by_customer and "BAK-000002" not in by_customer
    assert "BAK-000002" in by_number and "BAK-000001" not in by_number
    assert "BAK-000002" in by_date and "BAK-000001" not in by_date
    assert "No order matches these filters." in nothing


def test_a_bad_date_filter_is_explained_not_an_error_page(client, shop, owner, place):
    """An unreadable date keeps the list and marks the field."""
    place(shop[1])

    response = client.get("/store/bakery/orders?lang=en&date_from=31.12.2026")

    assert response.status_code == 200
    assert "Enter a date such as 2026-12-01." in response.text
    assert "BAK-000001" in response.text


def test_the_list_paginates(client, shop, owner, place):
    """25 orders a page, with a link to the next one keeping the filters."""
    for _ in range(27):
        place(shop[1], lines=[{"sku": "A", "title": "A", "quantity": 1, "unit_price_cents": 100, "vat_rate": 17}])

    first = client.get("/store/bakery/orders?lang=en&status=pending_payment").text
    second = client.get("/store/bakery/orders?lang=en&status=pending_payment&page=2").text

    assert "1 / 2" in first and 'href="/store/bakery/orders?status=pending_payment&amp;page=2"' in first
    assert "BAK-000001" in second and "BAK-000027" not in second


def test_the_detail_shows_lines_vat_breakdown_addresses_and_only_allowed_buttons(client, shop, owner, place):
    """A new order offers "Mark as paid" and "Cancel order", nothing else."""
    place(shop[1])

    html = client.get("/store/bakery/orders/BAK-000001?lang=en").text

    assert "Pain de campagne" in html and "BREAD-1" in html
    assert "17 %" in html and "3 %" in html
    assert "€24.27" in html and "€4.13" in html  # net and VAT at 17 %
    assert "12, rue de la Gare" in html
    assert 'value="paid"' in html and 'value="cancelled"' in html
    assert 'value="shipped"' not in html and 'value="refunded"' not in html


def test_staff_move_an_order_on_and_the_history_shows_who(client, shop, owner, place):
    """Posting a button changes the status, redirects with a confirmation and records the actor."""
    place(shop[1])

    response = client.post(
        "/store/bakery/orders/BAK-000001/status?lang=en",
        data={"csrf_token": owner, "to": "paid", "note": "Transfer received"},
        follow_redirects=False,
    )
    html = client.get(response.headers["location"] + "&lang=en").text

    assert response.status_code == 303
    assert "The order&#39;s status was changed." in html
    assert "Transfer received" in html
    assert "@example.com" in html
    assert 'value="processing"' in html


def test_a_refused_move_shows_the_reason_with_both_statuses(client, shop, owner, place):
    """A stale button (shipping an unpaid order) answers 422 with a sentence, not a crash."""
    place(shop[1])

    response = client.post(
        "/store/bakery/orders/BAK-000001/status?lang=en",
        data={"csrf_token": owner, "to": "shipped", "note": "oops"},
    )

    assert response.status_code == 422
    assert "An order cannot go from “Awaiting payment” to “Shipped”." in response.text
    assert 'value="oops"' in response.text


def test_cancelling_needs_the_cancel_permission(client, shop, factories, place):
    """Staff with orders.edit only see no cancel button and get 403 when they post it."""
    place(shop[1])
    csrf = factories.login(client, factories.staff(shop[1], permissions=["orders.view", "orders.edit"]))

    html = client.get("/store/bakery/orders/BAK-000001?lang=en").text
    response = client.post(
        "/store/bakery/orders/BAK-000001/status", data={"csrf_token": csrf, "to": "cancelled"}
    )

    assert 'value="paid"' in html and 'value="cancelled"' not in html
    assert response.status_code == 403


def test_viewers_without_edit_rights_see_no_buttons_or_note_form(client, shop, factories, place):
    """orders.view alone is read-only."""
    place(shop[1])
    factories.login(client, factories.staff(shop[1], permissions=["orders.view"]))

    html = client.get("/store/bakery/orders/BAK-000001?lang=en").text

    assert 'name="to"' not in html and 'name="body"' not in html


def test_staff_without_orders_view_are_refused(client, shop, factories):
    """The list needs orders.view."""
    factories.login(client, factories.staff(shop[1], permissions=[]))

    assert client.get("/store/bakery/orders").status_code == 403


def test_notes_are_saved_and_an_empty_one_is_explained(client, shop, owner, place):
    """A note appears on the order; an empty note comes back with a message."""
    place(shop[1])

    saved = client.post(
        "/store/bakery/orders/BAK-000001/notes",
        data={"csrf_token": owner, "body": "Leave at the neighbour's"},
        follow_redirects=False,
    )
    empty = client.post("/store/bakery/orders/BAK-000001/notes?lang=en", data={"csrf_token": owner, "body": " "})
    html = client.get("/store/bakery/orders/BAK-000001?lang=en").text

    assert saved.status_code == 303
    assert empty.status_code == 422 and "Write the note before saving it." in empty.text
    assert "Leave at the neighbour&#39;s" in html


def test_the_invoice_is_a_print_page_with_totals_in_the_readers_language(client, shop, owner, place):
    """Invoice number and date, store and customer blocks, VAT per rate, money per locale, no menu."""
    place(shop[1])

    fr = client.get("/store/bakery/orders/BAK-000001/invoice?lang=fr").text
    en = client.get("/store/bakery/orders/BAK-000001/invoice?lang=en").text

    assert "Facture n°" in fr and "BAK-000001" in fr
    assert "43,85\xa0€" in fr and "24,27\xa0€" in fr and "15,00\xa0€" in fr
    assert "€43.85" in en and "Invoice no." in en
    assert "Boulangerie Test" in fr and "Marie Weber" in fr
    assert "print.css" in fr and 'class="sidebar"' not in fr
    assert "Taux de TVA" in fr


def test_the_packing_slip_lists_items_without_prices(client, shop, owner, place):
    """What goes in the parcel and where it goes; no money."""
    place(shop[1])

    html = client.get("/store/bakery/orders/BAK-000001/packing-slip?lang=en").text

    assert "Packing slip" in html and "De Klenge Prënz" in html and "L-1611" in html
    assert "5 items in total" in html
    assert "€" not in html


def test_the_print_stylesheet_hides_the_screen_tools(client, shop):
    """The module's static print CSS has print rules."""
    css = client.get("/static/modules/orders/shared/print.css").text

    assert "@media print" in css and ".screen-only" in css


def test_staff_of_another_store_get_404_for_this_stores_orders(client, shop, other_shop, factories, place):
    """Neither through their own store's URL nor through the bakery's."""
    place(shop[1])
    factories.login(client, factories.staff(other_shop, role="owner"))

    for path in ("", "/invoice", "/packing-slip"):
        assert client.get(f"/store/bookshop/orders/BAK-000001{path}").status_code == 404
    assert client.get("/store/bakery/orders/BAK-000001").status_code == 404
    assert client.get("/store/bakery/orders").status_code == 404
