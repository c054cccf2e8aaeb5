"""Anonymous visitors cannot make the shop hoard stock, send mail or call providers without
limit (issue 10): every such storefront route names a per-client rate limit, and over it the
answer is 429 with Retry-After, in the shopper's language, without the work being done."""

from __future__ import annotations

from fastapi.routing import APIRoute, iter_route_contexts
from sqlalchemy import func, select

from modules.orders.models import Order
from tests.modules.checkout.conftest import (  # noqa: F401
    add_to_cart,
    checkout_body,
    make_product,
    place_api,
    shop,
)

LIMITED = {
    ("POST", "/_sf/api/v1/cart/lines"), ("PATCH", "/_sf/api/v1/cart/lines/{sku}"),
    ("DELETE", "/_sf/api/v1/cart/lines/{sku}"), ("POST", "/_sf/cart/add"), ("POST", "/_sf/cart/update"),
    ("POST", "/_sf/cart/remove"), ("POST", "/_sf/api/v1/checkout/place"), ("POST", "/_sf/checkout/place"),
    ("POST", "/_sf/checkout/done/{number}/pay"), ("POST", "/_sf/api/v1/payments/webhooks/{gateway}"),
    ("POST", "/_sf/account/register"), ("POST", "/_sf/account/forgot"), ("POST", "/_sf/account/confirm-orders"),
}


def _limited_routes(app) -> set[tuple[str, str]]:
    found = set()
    for context in iter_route_contexts(app.routes):
        if not isinstance(context.original_route, APIRoute):
            continue
        calls = [d.call for d in context.original_route.dependant.dependencies]
        if any(hasattr(call, "rate_limit") for call in calls):
            found |= {(m, context.path) for m in context.methods or ()}
    return found


def test_every_route_that_holds_stock_sends_mail_or_calls_a_provider_is_limited(orion_app):
    assert LIMITED <= _limited_routes(orion_app)


def test_placing_orders_over_the_limit_gets_429_and_places_nothing(client, shop, make_product, db_session):  # noqa: F811
    platform, store = shop
    make_product(store, "bread", stock=100)
    for number in range(30):
        add_to_cart(client, platform, store, "BREAD", 1)
        placed = place_api(client, platform, store, f"limit-key-{number}", checkout_body())
        assert placed.status_code == 201, (number, placed.text)
    add_to_cart(client, platform, store, "BREAD", 1)
    refused = place_api(client, platform, store, "limit-key-31", checkout_body())
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) > 0
    assert refused.json()["error"] == "too_many_attempts"
    db_session.rollback()
    assert db_session.scalar(select(func.count(Order.id))) == 30
