"""The test factories build what they say, through the real services."""

from __future__ import annotations

from orion_server.auth.passwords import verify_password
from orion_server.modules.service import module_service
from orion_server.testing.factories import CUSTOMER_PASSWORD


def test_a_shop_has_its_modules_on_and_an_owner_can_sign_in(client, factories, db_session):
    store = factories.shop(modules=("catalog", "orders"), name="Bakery")
    assert store.code == "bakery"
    assert {"catalog", "orders"} <= set(module_service.get_enabled_module_codes(db_session, store.platform_id))
    factories.owner(client, store)
    assert client.get("/store/bakery/", follow_redirects=False).status_code == 200


def test_products_customers_and_orders(factories, db_session):
    store = factories.shop(modules=("catalog", "customers", "orders"))
    product = factories.product(store, "country-bread", price=390, stock=4)
    assert (product.slug, product.status) == ("country-bread", "published")
    customer = factories.customer(store, "lea@example.lu")
    assert customer.email == "lea@example.lu" and verify_password(customer.password_hash, CUSTOMER_PASSWORD)
    pending = factories.order(store)
    paid = factories.order(store, paid=True)
    assert pending.status == "pending_payment" and paid.status == "paid"
    assert pending.total_cents == 2 * 1170 + 3 * 515 + 500
