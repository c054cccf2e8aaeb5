"""The cart through the storefront pages and API, like a shopper."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from modules.cart.models import Cart
from modules.cart.services import cart_service
from modules.catalog.models import Product
from modules.catalog.services import catalog_service
from modules.inventory.services import inventory_service
from orion_server.database import utcnow
from orion_server.modules.service import module_service
from tests.modules.cart.conftest import csrf, storefront


def api(platform, store, path=""):
    return storefront(platform, store, f"api/v1/cart{path}?lang=en")


def add(client, platform, store, sku, quantity=1):
    token = csrf(client, platform, store)
    return client.post(
        api(platform, store, "/lines"),
        json={"sku": sku, "quantity": quantity},
        headers={"X-CSRF-Token": token},
    )


def test_adding_changing_and_removing_lines_through_the_forms(client, shop, make_product):
    """The product form adds, the cart page updates quantities and removes lines."""
    platform, store = shop
    make_product(store, "bread", price=350, stock=5)
    token = csrf(client, platform, store)

    added = client.post(
        storefront(platform, store, "cart/add?lang=en"),
        data={"csrf_token": token, "sku": "BREAD", "quantity": "2", "next": "products/bread"},
        follow_redirects=False,
    )
    assert added.status_code == 303
    assert added.headers["location"].endswith("products/bread?done=added")
    assert client.cookies.get("orion_cart")

    page = client.get(storefront(platform, store, "cart?lang=en"))
    assert "Bread" in page.text and "7.00" in page.text

    client.post(storefront(platform, store, "cart/update?lang=en"), data={"csrf_token": token, "sku": "BREAD", "quantity": "3"})
    assert client.get(api(platform, store)).json()["item_count"] == 3

    client.post(storefront(platform, store, "cart/remove?lang=en"), data={"csrf_token": token, "sku": "BREAD"})
    body = client.get(api(platform, store)).json()
    assert body["lines"] == []
    assert "Your cart is empty" in client.get(storefront(platform, store, "cart?lang=en")).text


def test_the_api_adds_changes_and_deletes_lines(client, shop, make_product):
    """POST, PATCH and DELETE on the lines keep the totals right."""
    platform, store = shop
    make_product(store, "bread", price=350, stock=5)
    make_product(store, "cake", price=1200, stock=2)

    assert add(client, platform, store, "BREAD", 2).status_code == 201
    body = add(client, platform, store, "CAKE", 1).json()
    assert body["subtotal_cents"] == 1900 and body["item_count"] == 3
    token = client.cookies.get("orion_csrf")
    changed = client.patch(api(platform, store, "/lines/BREAD"), json={"quantity": 4}, headers={"X-CSRF-Token": token})
    assert changed.json()["subtotal_cents"] == 2600
    deleted = client.delete(api(platform, store, "/lines/CAKE"), headers={"X-CSRF-Token": token})
    assert deleted.json()["item_count"] == 4
    missing = client.delete(api(platform, store, "/lines/CAKE"), headers={"X-CSRF-Token": token})
    assert missing.status_code == 404


def test_adding_the_same_sku_again_adds_to_its_line_in_the_order_lines_came(client, shop, make_product):
    """The answer of each add is the whole cart, lines in the order they were first added."""
    platform, store = shop
    make_product(store, "bread", price=350, stock=9)
    make_product(store, "cake", price=1200, stock=9)

    add(client, platform, store, "BREAD", 2)
    add(client, platform, store, "CAKE", 1)
    body = add(client, platform, store, "BREAD", 3).json()

    assert [(line["sku"], line["quantity"], line["total_cents"]) for line in body["lines"]] == [
        ("BREAD", 5, 1750), ("CAKE", 1, 1200)]
    assert body["subtotal_cents"] == 2950 and body["item_count"] == 6
    assert client.get(api(platform, store)).json()["lines"] == body["lines"]


def test_adding_to_a_cart_past_its_date_starts_a_new_one(client, shop, make_product, db_session):
    """A cart whose date passed before the expiry task saw it is abandoned by the next add,
    which opens an empty cart for the same cookie."""
    platform, store = shop
    make_product(store, "bread", stock=9)
    make_product(store, "cake", stock=9)
    add(client, platform, store, "BREAD", 2)
    old = db_session.scalar(select(Cart).where(Cart.store_id == store.id))
    db_session.execute(update(Cart).where(Cart.id == old.id).values(expires_at=utcnow() - timedelta(minutes=1)))
    db_session.commit()

    body = add(client, platform, store, "CAKE", 1).json()

    assert [line["sku"] for line in body["lines"]] == ["CAKE"]
    db_session.expire_all()
    assert (old.status, old.token_hash) == ("abandoned", None)
    fresh = db_session.scalar(select(Cart).where(Cart.store_id == store.id, Cart.id != old.id))
    assert fresh.status == "open" and fresh.expires_at > utcnow() + timedelta(days=29)


def test_a_cart_closed_by_an_order_lets_the_cookie_open_a_new_one(client, shop, make_product, db_session):
    platform, store = shop
    make_product(store, "bread", stock=9)
    add(client, platform, store, "BREAD", 2)
    cart = db_session.scalar(select(Cart).where(Cart.store_id == store.id))
    cart_service.mark_converted(db_session, store_id=store.id, cart_id=cart.id)
    db_session.commit()

    body = add(client, platform, store, "BREAD", 1).json()

    assert body["item_count"] == 1
    db_session.expire_all()
    assert cart.status == "converted"
    assert len(db_session.scalars(select(Cart).where(Cart.store_id == store.id)).all()) == 2


def test_more_than_in_stock_is_refused_with_a_field_message(client, shop, make_product):
    """Adding 3 when 2 are left answers 422 on quantity saying how many are left."""
    platform, store = shop
    make_product(store, "cake", stock=2)

    response = add(client, platform, store, "CAKE", 3)

    assert response.status_code == 422
    assert response.json()["field"] == "quantity"
    assert "Only 2 left" in response.json()["message"]


def test_an_unknown_or_draft_sku_is_refused(client, shop, make_product, db_session):
    """An unknown SKU and a draft's SKU answer 422 on sku; a bad body answers 422 too."""
    platform, store = shop
    make_product(store, "bread")
    catalog_product = make_product(store, "secret")
    catalog_service.unpublish(db_session, store_id=store.id, product_id=catalog_product.id)

    assert add(client, platform, store, "NOPE").json()["field"] == "sku"
    assert add(client, platform, store, "SECRET").status_code == 422
    token = client.cookies.get("orion_csrf")
    bad = client.post(api(platform, store, "/lines"), json={"sku": "BREAD", "quantity": 0}, headers={"X-CSRF-Token": token})
    assert bad.status_code == 422 and bad.json()["fields"][0]["field"] == "quantity"


def test_price_changes_and_stock_drops_are_announced(client, shop, make_product, db_session):
    """The cart says when a price rose or stock fell, and updates itself."""
    platform, store = shop
    bread = make_product(store, "bread", price=350, stock=5)
    make_product(store, "cake", price=1000, stock=5)
    add(client, platform, store, "BREAD", 1)
    add(client, platform, store, "CAKE", 4)

    product = db_session.get(Product, bread.id)
    product.price_cents = 380
    db_session.commit()
    inventory_service.adjust(db_session, store_id=store.id, sku="CAKE", quantity=-3, reason="adjustment", actor="test")

    page = client.get(storefront(platform, store, "cart?lang=en")).text
    assert "The price of Bread changed from €3.50 to €3.80" in page
    assert "Only 2 of Cake are left; your cart was updated" in page
    body = client.get(api(platform, store)).json()
    assert body["messages"] == []
    assert body["subtotal_cents"] == 380 + 2000


def test_the_cart_survives_another_server_process(orion_app, client, shop, make_product):
    """A second client with the same cookie sees the same cart: all state is in the database."""
    platform, store = shop
    make_product(store, "bread", price=350)
    add(client, platform, store, "BREAD", 2)
    cookie = client.cookies.get("orion_cart")

    with TestClient(orion_app, base_url="http://testserver") as other:
        other.cookies.set("orion_cart", cookie)
        assert other.get(api(platform, store)).json()["item_count"] == 2


def test_a_cart_is_not_visible_at_another_store(client, shop, make_product, factories):
    """The same cookie opens an empty cart at store B."""
    platform, store = shop
    other_store = factories.store(platform, code="books", languages=["en"], default_language="en")
    make_product(store, "bread")
    add(client, platform, store, "BREAD", 1)

    assert client.get(api(platform, other_store)).json()["lines"] == []


def test_login_merges_the_anonymous_cart_into_the_customers(client, shop, make_product, db_session):
    """Quantities add up, capped by stock; the cookie then opens the customer's cart."""
    platform, store = shop
    make_product(store, "bread", stock=5)
    make_product(store, "cake", stock=9)
    earlier = cart_service.new_token()
    cart_service.add(db_session, store_id=store.id, token=earlier, sku="BREAD", quantity=3, language="en")
    cart_service.merge_into_customer(db_session, store_id=store.id, token=earlier, customer_id=42)
    add(client, platform, store, "BREAD", 4)
    add(client, platform, store, "CAKE", 1)

    merged = cart_service.merge_into_customer(
        db_session, store_id=store.id, token=client.cookies.get("orion_cart"), customer_id=42
    )

    assert {line.sku: line.quantity for line in merged.lines} == {"BREAD": 5, "CAKE": 1}
    assert client.get(api(platform, store)).json()["item_count"] == 6


def test_old_carts_expire(client, shop, make_product, db_session):
    """expire_old abandons carts past their date; the cookie then opens an empty cart."""
    platform, store = shop
    make_product(store, "bread")
    add(client, platform, store, "BREAD", 1)

    assert cart_service.expire_old(db_session, now=utcnow() + timedelta(days=29)) == 0
    assert cart_service.expire_old(db_session, now=utcnow() + timedelta(days=31)) == 1
    assert client.get(api(platform, store)).json()["lines"] == []


def test_the_cart_is_404_where_the_module_is_off(client, factories, db_session):
    """Without the cart module the page and the API do not exist."""
    platform = factories.platform(code="plain")
    module_service.enable_module(db_session, platform.id, "catalog")
    store = factories.store(platform, code="shop")

    assert client.get(storefront(platform, store, "cart")).status_code == 404
    assert client.get(storefront(platform, store, "api/v1/cart")).status_code == 404


def test_a_write_that_finds_the_database_busy_answers_503_with_a_retry(orion_app, client, shop, make_product,
                                                                        monkeypatch):
    """SQLite's writer busy past the busy timeout is a moment to retry (503, Retry-After), not a
    server error; any other database error still is one."""
    import sqlite3

    from sqlalchemy.exc import OperationalError

    platform, store = shop
    make_product(store, "bread", price=350, stock=5)
    failures = iter([
        sqlite3.OperationalError("database is locked (another process kept the turn to write)"),
        OperationalError("UPDATE carts", {}, sqlite3.OperationalError("database is locked")),
        OperationalError("SELECT", {}, sqlite3.OperationalError("no such column: x")),
    ])

    def busy(*_args, **_kwargs):
        raise next(failures)

    monkeypatch.setattr(cart_service, "add", busy)
    for _ in range(2):
        answer = add(client, platform, store, "BREAD")
        assert answer.status_code == 503
        assert answer.headers["retry-after"] == "2"
        assert answer.json()["error"] == "busy"
    with TestClient(orion_app, raise_server_exceptions=False) as quiet:
        quiet.cookies.update(client.cookies)
        assert add(quiet, platform, store, "BREAD").status_code == 500
