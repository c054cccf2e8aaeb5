"""Signing in or registering at a storefront makes this browser's cart the customer's: merged
into the customer's open cart (quantities added, capped by stock), or adopted as it is; the
cart cookie keeps opening it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from modules.cart.models import Cart
from modules.cart.services import cart_service
from modules.customers.models import Customer
from orion_server.modules.service import module_service
from tests.modules.cart.conftest import csrf, storefront
from tests.modules.customers.conftest import PASSWORD, make_customer


def add(client: Any, platform: Any, store: Any, sku: str, quantity: int) -> None:
    response = client.post(
        storefront(platform, store, "cart/add?lang=en"),
        data={"csrf_token": csrf(client, platform, store), "sku": sku, "quantity": str(quantity)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def login(client: Any, platform: Any, store: Any, email: str = "anna@example.com") -> Any:
    response = client.post(
        storefront(platform, store, "account/login"),
        data={"csrf_token": csrf(client, platform, store), "email": email, "password": PASSWORD},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return response


def cart_api(client: Any, platform: Any, store: Any) -> dict[str, Any]:
    return client.get(storefront(platform, store, "api/v1/cart?lang=en")).json()


def open_carts(db: Any, store: Any) -> list[Cart]:
    db.expire_all()
    return list(db.scalars(select(Cart).where(Cart.store_id == store.id, Cart.status == "open")))


def earlier_cart(db: Any, store: Any, customer: Any, **lines: int) -> Cart:
    """The cart the customer left on another device."""
    token = cart_service.new_token()
    for sku, quantity in lines.items():
        cart_service.add(
            db, store_id=store.id, token=token, sku=sku, quantity=quantity, language="en"
        )
    return cart_service.merge_into_customer(
        db, store_id=store.id, token=token, customer_id=customer.id
    )


def test_login_merges_the_anonymous_cart_into_the_customers_cart(
    client, shop, make_product, db_session
):
    """Quantities add up, capped by stock; one open cart is left and the cookie opens it."""
    platform, store = shop
    make_product(store, "bread", stock=5)
    make_product(store, "cake", stock=9)
    anna = make_customer(db_session, store)
    mine = earlier_cart(db_session, store, anna, BREAD=3)
    add(client, platform, store, "BREAD", 4)
    add(client, platform, store, "CAKE", 1)
    cookie = client.cookies.get("orion_cart")

    login(client, platform, store)

    carts = open_carts(db_session, store)
    assert [cart.id for cart in carts] == [mine.id]
    assert carts[0].customer_id == anna.id
    assert {line.sku: line.quantity for line in carts[0].lines} == {"BREAD": 5, "CAKE": 1}
    assert client.cookies.get("orion_cart") == cookie
    assert cart_api(client, platform, store)["item_count"] == 6


def test_registration_adopts_the_anonymous_cart(client, shop, make_product, db_session):
    """The new account's cart is the one filled before registering."""
    platform, store = shop
    make_product(store, "bread", stock=5)
    add(client, platform, store, "BREAD", 2)

    response = client.post(
        storefront(platform, store, "account/register"),
        data={
            "csrf_token": csrf(client, platform, store),
            "email": "new@example.com",
            "password": PASSWORD,
            "first_name": "Nina",
            "last_name": "Weis",
            "preferred_language": "en",
        },
        follow_redirects=False,
    )

    assert response.status_code == 303, response.text
    customer = db_session.scalar(select(Customer).where(Customer.email == "new@example.com"))
    carts = open_carts(db_session, store)
    assert len(carts) == 1 and carts[0].customer_id == customer.id
    assert cart_api(client, platform, store)["item_count"] == 2


def test_login_without_a_cart_brings_back_the_customers_cart(
    client, shop, make_product, db_session
):
    """The cart left on another device opens in this browser after signing in."""
    platform, store = shop
    make_product(store, "bread", stock=5)
    anna = make_customer(db_session, store)
    earlier_cart(db_session, store, anna, BREAD=2)
    assert client.cookies.get("orion_cart") is None

    response = login(client, platform, store)

    assert "orion_cart" in response.cookies
    assert cart_api(client, platform, store)["item_count"] == 2
    assert len(open_carts(db_session, store)) == 1


def test_where_the_cart_is_off_signing_in_leaves_carts_alone(
    client, shop, make_product, db_session
):
    """The listener does nothing on a platform without the cart module."""
    platform, store = shop
    make_product(store, "bread", stock=5)
    anna = make_customer(db_session, store)
    add(client, platform, store, "BREAD", 1)
    module_service.disable_module(db_session, platform.id, "cart")

    login(client, platform, store)

    carts = open_carts(db_session, store)
    assert len(carts) == 1 and carts[0].customer_id is None
    assert anna.id is not None
