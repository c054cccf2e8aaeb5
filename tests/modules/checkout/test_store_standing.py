"""A store read-only for an unpaid subscription: its storefront takes new orders only where
the platform chose so; the shopper is told plainly and keeps the basket."""

from __future__ import annotations

from datetime import timedelta

from modules.billing.services import invoicing_service, plan_service, standing_service
from orion_server.database import utcnow
from tests.modules.checkout.conftest import add_to_cart, counts, place_api


def make_read_only(db, store) -> None:
    change = plan_service.change(db, store_id=store.id, tier="essential", cycle="monthly",
                                 now=utcnow() - timedelta(days=60))
    standing_service.refresh(db, now=change.invoice.due_at + timedelta(days=40))


def test_a_read_only_store_takes_no_orders_by_default(client, db_session, shop, make_product):
    platform, store = shop
    make_product(store, "bread")
    make_read_only(db_session, store)
    add_to_cart(client, platform, store, "BREAD")

    response = place_api(client, platform, store, "order-key-0001")

    assert response.status_code == 409, response.text
    assert response.json()["error"] == "orders_paused"
    assert "not taking orders at the moment" in response.json()["message"]
    assert counts(db_session, store.id)[0] == 0
    cart = client.get(f"/platforms/{platform.code}/storefront/{store.code}/api/v1/cart?lang=en").json()
    assert [line["sku"] for line in cart["lines"]] == ["BREAD"]


def test_the_platform_may_keep_orders_coming_in(client, db_session, shop, make_product):
    platform, store = shop
    make_product(store, "bread")
    invoicing_service.save_profile(db_session, platform_id=platform.id, values={
        "seller_name": "Orion", "vat_rate": "17", "payment_terms_days": "14", "grace_days": "14",
        "orders_when_read_only": "on"})
    make_read_only(db_session, store)
    add_to_cart(client, platform, store, "BREAD")

    assert place_api(client, platform, store, "order-key-0001").status_code == 201
