"""The signed-in shopper's "My orders" pages: the list in pages, one order in full, and what
they must never show (another customer's or another store's orders)."""

from __future__ import annotations

import html
from typing import Any

import pytest

from modules.orders.routes.pages import storefront as pages
from modules.orders.services import order_service
from tests.modules.customers.conftest import PASSWORD, make_customer
from tests.modules.orders.conftest import ADDRESS, BOOK, BREAD


def sf(store: Any, path: str = "") -> str:
    """Path-mode URL of a storefront page of ``store`` on the main platform."""
    return f"/platforms/main/storefront/{store.code}/{path}"


@pytest.fixture
def anna(db_session, shop):
    """Anna, a registered customer of the bakery (German)."""
    return make_customer(db_session, shop[1], "anna@example.com", preferred_language="de")


def order_for(place: Any, store: Any, customer: Any, **overrides: Any):
    """An order of ``customer`` at ``store``."""
    who = {"id": customer.id, "email": customer.email, "name": customer.full_name, "language": "de", "signed_in": True}
    return place(store, customer=who, **overrides)


def signed_in(client: Any, store: Any, email: str = "anna@example.com") -> None:
    """Sign in through the storefront's login form."""
    client.get(sf(store, "account/login"))
    response = client.post(
        sf(store, "account/login"),
        data={"csrf_token": client.cookies["orion_csrf"], "email": email, "password": PASSWORD},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def test_signed_out_shoppers_are_sent_to_the_login_form_and_back(client, shop):
    """Both pages redirect to the sign-in form with the page as the way back."""
    bakery = shop[1]
    for path in ("account/orders", "account/orders/BAK-000001"):
        response = client.get(sf(bakery, path), follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == sf(bakery, "account/login") + "?next=" + sf(
            bakery, path
        )


def test_the_list_shows_the_customers_orders_in_words_and_in_their_language(
    client, db_session, shop, anna, place
):
    """Number, date, status in words and total, newest first, with a link to each order."""
    bakery = shop[1]
    first = order_for(place, bakery, anna)
    second = order_for(place, bakery, anna)
    order_service.change_status(db_session, order_id=second.id, store_id=bakery.id, to="paid")
    signed_in(client, bakery)

    page = client.get(sf(bakery, "account/orders?lang=de"))

    assert page.status_code == 200
    text = page.text
    assert "Meine Bestellungen" in text
    assert text.index(second.number) < text.index(first.number)
    assert "Bezahlt" in text and "Zahlung ausstehend" in text
    assert "43,85\xa0€" in text  # 2 × 11,70 + 3 × 5,15 + 5,00 delivery, German format
    assert f'href="{sf(bakery, "account/orders/" + first.number)}"' in text


def test_the_list_is_paginated(client, db_session, shop, anna, place):
    """Ten orders a page; the second page holds the oldest."""
    bakery = shop[1]
    orders = [order_for(place, bakery, anna, lines=[BREAD]) for _ in range(pages.PER_PAGE + 2)]
    signed_in(client, bakery)

    first = client.get(sf(bakery, "account/orders?lang=en")).text
    second = client.get(sf(bakery, "account/orders?lang=en&page=2")).text

    assert orders[-1].number in first and orders[0].number not in first
    assert (
        orders[0].number in second
        and orders[1].number in second
        and orders[-1].number not in second
    )
    assert "1 / 2" in first and "2 / 2" in second
    assert f"{pages.PER_PAGE + 2} orders" in first


def test_without_orders_the_page_says_so_and_links_to_the_shop(client, shop, anna):
    """The empty state, in the shopper's language, with a way to the shop."""
    bakery = shop[1]
    signed_in(client, bakery)

    page = html.unescape(client.get(sf(bakery, "account/orders?lang=fr")).text)

    assert "Vous n'avez encore rien commandé" in page
    assert "Aller à la boutique" in page
    assert f'href="{sf(bakery)}"' in page  # the catalog is off: the storefront's home page


def test_the_detail_shows_lines_totals_vat_addresses_methods_and_history(
    client, db_session, shop, anna, place
):
    """Everything about the order, the status history in words with dates."""
    bakery = shop[1]
    line = dict(BREAD, options={"Size": "Large"})
    order = order_for(place, bakery, anna, lines=[line, BOOK], addresses={"shipping": ADDRESS})
    order_service.change_status(
        db_session,
        order_id=order.id,
        store_id=bakery.id,
        to="paid",
        actor="boss@example.lu",
        note="internal",
    )
    signed_in(client, bakery)

    page = client.get(sf(bakery, f"account/orders/{order.number}?lang=en"))

    assert page.status_code == 200
    text = page.text
    assert f"Order {order.number}" in text
    assert "Pain de campagne" in text and "Size: Large" in text and "De Klenge Prënz" in text
    assert "€43.85" in text  # total
    assert "17 %" in text and "3 %" in text  # VAT per rate
    assert "12, rue de la Gare" in text and "Luxembourg" in text
    assert "Delivery: Livraison" in text
    assert "Payment: Bank transfer" in text
    assert "Awaiting payment" in text and "Paid" in text  # the history in words
    assert "boss@example.lu" not in text and "internal" not in text  # staff matters stay inside
    german = client.get(sf(bakery, f"account/orders/{order.number}?lang=de")).text
    assert "Luxemburg" in german and "Zahlung: Banküberweisung" in german  # the country in words


def test_another_customers_order_is_not_found(client, db_session, shop, anna, place):
    """Bob's order does not exist for Anna."""
    bakery = shop[1]
    bob = make_customer(db_session, bakery, "bob@example.com")
    order = order_for(place, bakery, bob)
    signed_in(client, bakery)

    assert client.get(sf(bakery, f"account/orders/{order.number}")).status_code == 404
    assert order.number not in client.get(sf(bakery, "account/orders")).text


def test_another_stores_order_is_not_found(client, db_session, shop, other_shop, anna, place):
    """An order of the bookshop is not found at the bakery, even with the customer's id on it."""
    bakery = shop[1]
    order = order_for(place, other_shop, anna)
    signed_in(client, bakery)

    assert client.get(sf(bakery, f"account/orders/{order.number}")).status_code == 404
    assert order.number not in client.get(sf(bakery, "account/orders")).text


def test_a_customer_of_another_store_is_not_signed_in_here(
    client, db_session, shop, other_shop, place
):
    """Signed in at the bookshop, the bakery's "My orders" asks to sign in."""
    make_customer(db_session, other_shop, "anna@example.com")
    signed_in(client, other_shop)

    response = client.get(sf(shop[1], "account/orders"), follow_redirects=False)

    assert response.status_code == 303
    assert "account/login" in response.headers["location"]


def test_the_account_page_links_to_my_orders_when_orders_are_on(client, db_session, shop, anna):
    """The account page links to "My orders" only on a platform with the orders module."""
    from orion_server.modules.service import module_service

    bakery = shop[1]
    signed_in(client, bakery)
    link = f'href="{sf(bakery, "account/orders")}"'

    assert link in client.get(sf(bakery, "account/?lang=en")).text

    module_service.disable_module(db_session, shop[0].id, "orders")
    assert link not in client.get(sf(bakery, "account/?lang=en")).text
    assert client.get(sf(bakery, "account/orders")).status_code == 404
