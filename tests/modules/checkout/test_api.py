"""The storefront checkout API: options, quotes, placing orders, errors, idempotency, and the
stock that follows the order's status."""

from __future__ import annotations

import threading

import pytest
from fastapi.testclient import TestClient

from modules.customers.models import Customer
from modules.inventory.services import inventory_service
from modules.orders.services import order_service
from tests.modules.checkout.conftest import (
    add_to_cart,
    checkout_body,
    counts,
    csrf,
    first_order,
    level,
    place_api,
    storefront,
)


def api(platform, store, path):
    return storefront(platform, store, f"api/v1/checkout/{path}?lang=en")


def test_options_price_delivery_for_the_cart_and_list_the_store_s_payment_methods(client, shop, make_product):
    platform, store = shop
    make_product(store, "bread", price=350, stock=5)
    add_to_cart(client, platform, store, "BREAD", 2)

    body = client.get(api(platform, store, "options")).json()

    methods = {m["code"]: m for m in body["shipping_methods"]}
    assert methods["pickup"]["price_cents"] == 0
    assert methods["delivery"]["price_cents"] == 590
    assert methods["delivery"]["free_above_cents"] == 7500
    assert [p["code"] for p in body["payment_methods"]] == ["bank_transfer", "cash_on_pickup"]
    assert body["payment_methods"][0]["label"] == "Bank transfer"
    assert "bank transfer" in body["payment_methods"][0]["description"]
    assert body["subtotal_cents"] == 700


def test_the_quote_has_the_vat_breakdown_per_rate_and_free_delivery_above_the_threshold(client, shop, make_product):
    """Bread at 17 %, a book at 3 %, delivery at 17 %; from 75 € delivery is free."""
    platform, store = shop
    make_product(store, "bread", price=1170, stock=50)
    make_product(store, "book", price=515, stock=50, vat=300)
    add_to_cart(client, platform, store, "BREAD", 2)
    add_to_cart(client, platform, store, "BOOK", 3)
    token = client.cookies.get("orion_csrf")

    quote = client.post(api(platform, store, "quote"), json={"shipping_method": "delivery"},
                        headers={"X-CSRF-Token": token}).json()

    assert (quote["subtotal_cents"], quote["shipping_cents"], quote["total_cents"]) == (3885, 590, 4475)
    assert quote["vat"] == [
        {"rate": 17, "net_cents": 2504, "vat_cents": 426, "gross_cents": 2930},
        {"rate": 3, "net_cents": 1500, "vat_cents": 45, "gross_cents": 1545},
    ]
    add_to_cart(client, platform, store, "BREAD", 4)  # 6 x 11,70 + 15,45 = 85,65 > 75
    free = client.post(api(platform, store, "quote"), json={"shipping_method": "delivery"},
                       headers={"X-CSRF-Token": token}).json()
    assert (free["shipping_cents"], free["total_cents"]) == (0, 8565)
    bad = client.post(api(platform, store, "quote"), json={"shipping_method": "drone"},
                      headers={"X-CSRF-Token": token})
    assert bad.status_code == 422 and bad.json()["field"] == "shipping_method"


def test_placing_creates_the_order_reserves_stock_converts_the_cart_and_starts_the_payment(
    client, shop, make_product, db_session
):
    platform, store = shop
    make_product(store, "bread", price=1170, stock=5)
    add_to_cart(client, platform, store, "BREAD", 2)

    response = place_api(client, platform, store, "order-key-0001")

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["number"] == "BAK-000001" and body["created"] is True
    assert (body["subtotal_cents"], body["shipping_cents"], body["total_cents"]) == (2340, 590, 2930)
    assert body["vat"] == [{"rate": 17, "net_cents": 2504, "vat_cents": 426, "gross_cents": 2930}]
    assert body["payment"]["status"] == "pending" and body["payment"]["method"] == "bank_transfer"
    assert "LU280019400644750000" in body["payment"]["instructions"]
    assert "BAK-000001" in body["payment"]["instructions"]
    assert body["status_url"].endswith(order_service.status_path(first_order(db_session, store.id)))
    order = first_order(db_session, store.id)
    guest = db_session.get(Customer, order.customer_id)
    assert guest.email == "marie@example.lu" and guest.password_hash is None
    assert order.shipping_address["street"] == "12, rue de la Gare"
    assert order.status == "pending_payment" and order.shipping_method_code == "delivery"
    assert level(db_session, store.id, "BREAD") == (5, 2)
    assert client.get(storefront(platform, store, "api/v1/cart")).json()["lines"] == []
    assert counts(db_session, store.id) == (1, 1, 1)


def test_the_same_key_twice_in_a_row_answers_the_same_order_with_200(client, shop, make_product, db_session):
    platform, store = shop
    make_product(store, "bread", stock=5)
    add_to_cart(client, platform, store, "BREAD", 1)

    first = place_api(client, platform, store, "double-click-1")
    second = place_api(client, platform, store, "double-click-1")

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["number"] == second.json()["number"]
    assert first.json()["payment"]["id"] == second.json()["payment"]["id"]
    assert counts(db_session, store.id) == (1, 1, 1)
    assert level(db_session, store.id, "BREAD") == (5, 1)


def test_the_same_key_from_another_cart_does_not_find_someone_else_s_order(
    orion_app, client, shop, make_product, db_session
):
    """A key is bound to the cart cookie: another browser gets its own order (or, here, the
    empty-cart answer), never the first shopper's."""
    platform, store = shop
    make_product(store, "bread", stock=5)
    add_to_cart(client, platform, store, "BREAD", 1)
    assert place_api(client, platform, store, "shared-key-1").status_code == 201

    with TestClient(orion_app, base_url="http://testserver") as other:
        csrf(other, platform, store)
        response = place_api(other, platform, store, "shared-key-1")

    assert response.status_code == 409 and response.json()["error"] == "cart_empty"
    assert counts(db_session, store.id)[0] == 1


def test_the_same_key_twice_at_once_makes_one_order_one_payment_one_reservation(
    orion_app, client, shop, make_product, db_session
):
    platform, store = shop
    make_product(store, "bread", stock=5)
    add_to_cart(client, platform, store, "BREAD", 2)
    cookies = dict(client.cookies)
    barrier = threading.Barrier(2)
    results: list = []
    errors: list = []

    def submit() -> None:
        try:
            with TestClient(orion_app, base_url="http://testserver", cookies=cookies) as twin:
                barrier.wait(timeout=30)
                results.append(place_api(twin, platform, store, "same-time-key"))
        except BaseException as exc:  # noqa: BLE001 - every error fails the test
            errors.append(exc)

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert sorted(r.status_code for r in results) == [200, 201], [r.text for r in results]
    assert len({r.json()["number"] for r in results}) == 1
    assert len({r.json()["payment"]["id"] for r in results}) == 1
    assert counts(db_session, store.id) == (1, 1, 1)
    assert level(db_session, store.id, "BREAD") == (5, 2)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"email": ""}, "email"),
        ({"email": "not-an-address"}, "email"),
        ({"first_name": " "}, "first_name"),
        ({"last_name": ""}, "last_name"),
        ({"phone": "9" * 51}, "phone"),
        ({"shipping_method": "teleport"}, "shipping_method"),
        ({"payment_method": "bitcoin"}, "payment_method"),
        ({"address": {**checkout_body()["address"], "name": ""}}, "address.name"),
        ({"address": {**checkout_body()["address"], "street": ""}}, "address.street"),
        ({"address": {**checkout_body()["address"], "postal_code": ""}}, "address.postal_code"),
        ({"address": {**checkout_body()["address"], "city": ""}}, "address.city"),
        ({"address": {**checkout_body()["address"], "country": "XX"}}, "address.country"),
        ({"billing_same": False, "billing_address": {"name": "Firma"}}, "billing_address.street"),
        ({"address_id": 12345}, "address_id"),
        ({"expected_total_cents": "lots"}, "expected_total_cents"),
    ],
)
def test_every_bad_field_answers_422_naming_it(client, shop, make_product, db_session, change, field):
    platform, store = shop
    make_product(store, "bread", stock=5)
    add_to_cart(client, platform, store, "BREAD", 1)

    response = place_api(client, platform, store, "bad-field-key", checkout_body(**change))

    assert response.status_code == 422, response.text
    assert field in {f["field"] for f in response.json()["fields"]}
    assert all(f["message"] for f in response.json()["fields"])
    assert counts(db_session, store.id) == (0, 0, 0)


def test_a_missing_or_malformed_idempotency_key_is_a_422(client, shop, make_product):
    platform, store = shop
    make_product(store, "bread", stock=5)
    add_to_cart(client, platform, store, "BREAD", 1)
    token = client.cookies.get("orion_csrf")

    missing = client.post(api(platform, store, "place"), json=checkout_body(), headers={"X-CSRF-Token": token})
    short = place_api(client, platform, store, "abc")
    in_body = client.post(api(platform, store, "place"), json=checkout_body(idempotency_key="body-key-123"),
                          headers={"X-CSRF-Token": token})

    assert missing.status_code == 422 and missing.json()["field"] == "idempotency_key"
    assert short.status_code == 422
    assert in_body.status_code == 201


def test_field_messages_speak_the_shopper_s_language(client, shop, make_product):
    platform, store = shop
    make_product(store, "bread", stock=5)
    add_to_cart(client, platform, store, "BREAD", 1)

    response = client.post(
        storefront(platform, store, "api/v1/checkout/place?lang=fr"),
        json=checkout_body(email=""),
        headers={"X-CSRF-Token": client.cookies.get("orion_csrf"), "Idempotency-Key": "french-key-1"},
    )

    assert response.json()["fields"][0]["message"] == "Veuillez remplir ce champ."


def test_an_empty_cart_is_a_409(client, shop):
    platform, store = shop
    csrf(client, platform, store)

    response = place_api(client, platform, store, "empty-cart-key")

    assert response.status_code == 409
    assert response.json()["error"] == "cart_empty" and response.json()["message"]


def test_a_price_change_stops_the_order_and_says_what_changed(client, shop, make_product, db_session):
    platform, store = shop
    product = make_product(store, "bread", price=350, stock=5)
    add_to_cart(client, platform, store, "BREAD", 1)
    product.price_cents = 400
    db_session.commit()

    changed = place_api(client, platform, store, "price-key-01")

    assert changed.status_code == 409 and changed.json()["error"] == "cart_changed"
    assert "3.50" in changed.json()["errors"][0]["message"] and "4.00" in changed.json()["errors"][0]["message"]
    assert counts(db_session, store.id) == (0, 0, 0)
    # The cart now holds today's price, but the shopper reviewed the old total:
    reviewed = place_api(client, platform, store, "price-key-02", checkout_body(expected_total_cents=940))
    assert reviewed.status_code == 409 and reviewed.json()["error"] == "price_changed"
    assert place_api(client, platform, store, "price-key-03", checkout_body(expected_total_cents=990)).status_code == 201


def test_out_of_stock_names_the_product_and_places_nothing(client, shop, make_product, db_session):
    """The cart was filled while there was stock; someone else took it before checkout."""
    platform, store = shop
    make_product(store, "cake", price=1200, stock=2, title="Chocolate cake")
    add_to_cart(client, platform, store, "CAKE", 2)
    inventory_service.reserve(db_session, store_id=store.id, lines=[("CAKE", 1)], reference="shop-counter")

    response = place_api(client, platform, store, "stock-key-01")

    assert response.status_code == 409
    body = response.json()
    assert body["error"] == "out_of_stock" and "Chocolate cake" in body["message"]
    assert [e["sku"] for e in body["errors"]] == ["CAKE"]
    assert counts(db_session, store.id) == (0, 0, 1)
    assert level(db_session, store.id, "CAKE") == (2, 1)


def test_account_checkout_links_the_order_and_may_use_a_saved_address(client, shop, make_product, factories, db_session):
    platform, store = shop
    from modules.customers.services import customer_service

    make_product(store, "bread", stock=5)
    customer = customer_service.register(
        db_session, store_id=store.id, email="jean@example.lu", password="a-long-password-1",
        first_name="Jean", last_name="Muller", phone="", preferred_language="en",
    )
    address = customer_service.add_address(
        db_session, store_id=store.id, customer_id=customer.id,
        values={"name": "Jean Muller", "street": "1, Grand-Rue", "postal_code": "L-1660", "city": "Luxembourg", "country": "LU"},
    )
    token = csrf(client, platform, store)
    signed = client.post(storefront(platform, store, "account/login?lang=en"),
                         data={"csrf_token": token, "email": "jean@example.lu", "password": "a-long-password-1"},
                         follow_redirects=False)
    assert signed.status_code == 303
    add_to_cart(client, platform, store, "BREAD", 1)

    body = checkout_body(email="jean@example.lu", first_name="Jean", last_name="Muller",
                         address=None, address_id=address.id)
    response = place_api(client, platform, store, "account-key-1", body)

    assert response.status_code == 201, response.text
    order = first_order(db_session, store.id)
    assert order.customer_id == customer.id
    assert order.shipping_address["street"] == "1, Grand-Rue"


def test_pickup_is_free_and_keeps_no_shipping_address(client, shop, make_product, db_session):
    platform, store = shop
    make_product(store, "bread", price=350, stock=5)
    add_to_cart(client, platform, store, "BREAD", 1)

    response = place_api(client, platform, store, "pickup-key-1",
                         checkout_body(shipping_method="pickup", payment_method="cash_on_pickup"))

    assert response.status_code == 201
    assert (response.json()["shipping_cents"], response.json()["total_cents"]) == (0, 350)
    order = first_order(db_session, store.id)
    assert order.shipping_address is None and order.billing_address["city"] == "Luxembourg"
    assert "pay" in response.json()["payment"]["instructions"].lower()


def test_cancelling_releases_the_stock_and_shipping_sells_it(client, shop, make_product, db_session):
    platform, store = shop
    make_product(store, "bread", stock=5)
    add_to_cart(client, platform, store, "BREAD", 2)
    first = place_api(client, platform, store, "life-key-001").json()
    add_to_cart(client, platform, store, "BREAD", 1)
    second = place_api(client, platform, store, "life-key-002").json()
    assert level(db_session, store.id, "BREAD") == (5, 3)

    cancelled = order_service.get_by_number(db_session, store_id=store.id, number=first["number"])
    order_service.change_status(db_session, order_id=cancelled.id, store_id=store.id, to="cancelled")
    assert level(db_session, store.id, "BREAD") == (5, 1)

    shipped = order_service.get_by_number(db_session, store_id=store.id, number=second["number"])
    for status in ("paid", "processing", "shipped"):
        order_service.change_status(db_session, order_id=shipped.id, store_id=store.id, to=status)
    assert level(db_session, store.id, "BREAD") == (4, 0)
    item = inventory_service.get_item_by_sku(db_session, store_id=store.id, sku="BREAD")
    assert inventory_service.ledger_total(db_session, item_id=item.id) == 4
    order_service.change_status(db_session, order_id=shipped.id, store_id=store.id, to="delivered")
    assert level(db_session, store.id, "BREAD") == (4, 0)


def test_a_payment_that_cannot_start_leaves_the_order_pending_with_a_way_to_retry(
    client, shop, make_product, db_session
):
    """The gateway is switched off between the order and its payment (a provider failing)."""
    from modules.contracts import checkout_payments as contract
    from orion_server import providers

    platform, store = shop
    make_product(store, "bread", stock=5)
    add_to_cart(client, platform, store, "BREAD", 1)
    real = contract.checkout_payments(db_session, store_id=store.id)

    class Failing:
        def methods(self, db, *, store_id, language):
            return real.methods(db, store_id=store_id, language=language)

        def start(self, db, **kwargs):
            raise contract.PaymentStartFailed("the provider is unreachable")

        def payments_for(self, db, **kwargs):
            return real.payments_for(db, **kwargs)

    with providers.override(contract.CheckoutPayments, Failing()):
        response = place_api(client, platform, store, "fail-pay-key")

    assert response.status_code == 201
    body = response.json()
    assert body["payment"] is None and "payment could not be started" in body["payment_error"]
    assert first_order(db_session, store.id).status == "pending_payment"
    page = client.get(storefront(platform, store, body["confirmation_url"].split(f"/{store.code}/", 1)[1]))
    assert 'id="payment-failed"' in page.text
    retry_path = f"checkout/done/{body['number']}/pay?" + body["confirmation_url"].split("?", 1)[1]
    retried = client.post(storefront(platform, store, retry_path),
                          data={"csrf_token": client.cookies.get("orion_csrf")})
    assert retried.status_code == 200 and 'id="payment-instructions"' in retried.text
    assert counts(db_session, store.id) == (1, 1, 1)
