"""Nobody reads someone else's orders by typing their e-mail address (issue 9).

A guest order is placed for ``v@x.lu``; then someone else registers as ``v@x.lu``. Their account
shows none of that order (not in the list, 404 on its page) until the link sent to ``v@x.lu`` is
opened. The same holds for a guest checkout made with a registered customer's address. The
store sees every order throughout.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from modules.contracts.events import CustomerEmailConfirmationRequested
from orion_server.testing.events import Announced
from tests.modules.checkout.conftest import add_to_cart, checkout_body, place_api, storefront

EN = {"accept-language": "en"}
PASSWORD = "someone-elses-secret"


@pytest.fixture
def links(db_session):
    """The confirmation links announced for messaging to send: ``(to, purpose, link)``."""
    return Announced(db_session, CustomerEmailConfirmationRequested, lambda e: (e.email, e.purpose, e.link))


def _guest_order(orion_app, platform, store, email, key):
    with TestClient(orion_app, base_url="http://testserver") as guest:
        add_to_cart(guest, platform, store, "BREAD", 1)
        placed = place_api(guest, platform, store, key, checkout_body(email=email))
        assert placed.status_code == 201, placed.text
        return placed.json()["number"]


def _register(client, platform, store, email):
    client.get(storefront(platform, store, "account/register?lang=en"))
    return client.post(storefront(platform, store, "account/register"), data={
        "csrf_token": client.cookies["orion_csrf"], "email": email, "password": PASSWORD,
        "first_name": "Mallory", "last_name": "Else", "preferred_language": "en",
    }, follow_redirects=False)


def _open(client, link):
    """Open an e-mailed link and press its button, as its reader would."""
    path = link.removeprefix("http://testserver")
    page = client.get(path, headers=EN)
    assert page.status_code == 200
    return client.post(path.split("?", 1)[0], data={"csrf_token": client.cookies["orion_csrf"],
                                                    "token": path.split("token=", 1)[1]}, headers=EN)


def test_registering_with_a_guests_address_shows_none_of_their_orders_until_the_link_is_opened(
    client, orion_app, shop, make_product, links, db_session
):
    platform, store = shop
    make_product(store, "bread", stock=10)
    number = _guest_order(orion_app, platform, store, "v@x.lu", "takeover-guest-1")

    assert _register(client, platform, store, "v@x.lu").status_code == 303
    mine = client.get(storefront(platform, store, "account/orders"), headers=EN)
    assert mine.status_code == 200
    assert number not in mine.text
    assert "1 order was placed with your e-mail address without signing in" in mine.text
    assert client.get(storefront(platform, store, f"account/orders/{number}"), headers=EN).status_code == 404

    [(to, purpose, link)] = links  # sent at registration, to the address, not shown to the registrant
    assert (to, purpose) == ("v@x.lu", "orders")
    assert link.split("token=")[1] not in mine.text

    confirmed = _open(client, link)
    assert confirmed.status_code == 200 and "are now in your account" in confirmed.text
    after = client.get(storefront(platform, store, "account/orders"), headers=EN)
    assert number in after.text and "without signing in" not in after.text
    assert client.get(storefront(platform, store, f"account/orders/{number}"), headers=EN).status_code == 200


def test_a_guest_checkout_with_a_registered_address_waits_for_the_owner(
    client, orion_app, shop, make_product, links, db_session
):
    platform, store = shop
    make_product(store, "bread", stock=10)
    assert _register(client, platform, store, "anna@x.lu").status_code == 303
    assert len(links) == 0  # a new account: nothing of anyone's to claim

    number = _guest_order(orion_app, platform, store, "anna@x.lu", "takeover-guest-2")
    listing = client.get(storefront(platform, store, "account/orders"), headers=EN)
    assert number not in listing.text and "without signing in" in listing.text

    asked = client.post(storefront(platform, store, "account/confirm-orders"),
                        data={"csrf_token": client.cookies["orion_csrf"]}, follow_redirects=False)
    assert asked.status_code == 303 and asked.headers["location"].endswith("account/orders?link_sent=1")
    client.post(storefront(platform, store, "account/confirm-orders"), data={"csrf_token": client.cookies["orion_csrf"]})
    [(to, purpose, link)] = links  # asking twice in a row sends one link
    assert (to, purpose) == ("anna@x.lu", "orders")

    _open(client, link)
    assert number in client.get(storefront(platform, store, "account/orders"), headers=EN).text


def test_an_order_placed_signed_in_is_in_the_account_at_once(client, shop, make_product, links):
    platform, store = shop
    make_product(store, "bread", stock=10)
    _register(client, platform, store, "anna@x.lu")
    add_to_cart(client, platform, store, "BREAD", 1)
    placed = place_api(client, platform, store, "signed-in-1", checkout_body(email="anna@x.lu"))
    number = placed.json()["number"]
    listing = client.get(storefront(platform, store, "account/orders"), headers=EN).text
    assert number in listing and "without signing in" not in listing


def test_a_dead_link_says_so(client, shop):
    platform, store = shop
    page = client.get(storefront(platform, store, "account/confirm?token=nonsense"), headers=EN)
    assert page.status_code == 200 and "This link no longer works" in page.text
    spent = client.post(storefront(platform, store, "account/confirm"),
                        data={"csrf_token": client.cookies["orion_csrf"], "token": "nonsense"}, headers=EN)
    assert spent.status_code == 422 and "This link no longer works" in spent.text
