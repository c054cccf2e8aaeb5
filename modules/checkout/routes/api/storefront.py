"""The storefront's checkout API, at ``{storefront root}api/v1/checkout``.

It works on the cart of the ``orion_cart`` cookie, like the cart API, and needs the CSRF token
in ``X-CSRF-Token`` for POSTs. Errors answer ``{"error", "message", "fields"}`` (422, one entry
per bad field) or ``{"error", "message", "errors"}`` (409: ``cart_empty``, ``cart_changed``,
``price_changed``, ``out_of_stock``, ``idempotency_key_spent``).

| route | what |
|---|---|
| ``GET /options`` | shipping methods priced for the cart, payment methods, the cart's subtotal |
| ``POST /quote`` | ``{"shipping_method"}`` -> lines, totals and the VAT per rate |
| ``POST /place`` | the checkout form plus ``Idempotency-Key`` (header or body field): 201 with the new order, 200 with the same order on a repeat |
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Header, Request
from fastapi.responses import JSONResponse

from modules.cart.cookies import cart_token
from modules.cart.services import cart_service
from modules.checkout.exceptions import CheckoutInputError, EmptyCartError
from modules.checkout.routes.common import order_json, payment_method_json, shipping_json, site_root
from modules.checkout.services import checkout_service
from modules.customers.deps import OptionalCustomer
from orion_server.deps import CurrentStore, SessionDep
from orion_server.i18n import t

router = APIRouter()


@router.get("/options")
def options(request: Request, db: SessionDep, store: CurrentStore) -> JSONResponse:
    """What the shopper can choose: shipping methods (priced for this cart) and payment methods."""
    language = request.state.language
    cart = cart_service.find(db, store_id=store.id, token=cart_token(request))
    totals = cart_service.totals(cart)
    return JSONResponse(
        {
            "shipping_methods": [
                shipping_json(m)
                for m in checkout_service.shipping_methods(db, store_id=store.id, cart=cart, language=language)
            ],
            "payment_methods": [
                payment_method_json(m)
                for m in checkout_service.payment_methods(db, store_id=store.id, language=language)
            ],
            "subtotal_cents": totals.subtotal_cents,
            "item_count": totals.item_count,
            "currency": "EUR",
        }
    )


@router.post("/quote")
def quote(
    request: Request, db: SessionDep, store: CurrentStore, body: dict[str, Any] | None = Body(default=None)
) -> JSONResponse:
    """Totals and the VAT breakdown of the cart with ``shipping_method``."""
    language = request.state.language
    cart = cart_service.find(db, store_id=store.id, token=cart_token(request))
    if cart is None or not cart.lines:
        raise EmptyCartError(t("checkout.errors.cart_empty", language))
    refreshed = cart_service.refresh(db, cart=cart, language=language)
    methods = {m.code: m for m in checkout_service.shipping_methods(db, store_id=store.id, cart=cart, language=language)}
    method = methods.get(str((body or {}).get("shipping_method") or ""))
    if method is None:
        raise CheckoutInputError({"shipping_method": t("checkout.errors.shipping_method", language)})
    result = checkout_service.quote(db, cart=cart, shipping=method, language=language).as_dict()
    result["messages"] = refreshed.messages
    return JSONResponse(result)


@router.post("/place")
def place(
    request: Request,
    db: SessionDep,
    store: CurrentStore,
    customer: OptionalCustomer,
    body: dict[str, Any] | None = Body(default=None),
    idempotency_key: str | None = Header(default=None, alias="Idempotency-Key"),
) -> JSONResponse:
    """Place the cart's order; the same key again answers 200 with the same order."""
    language = request.state.language
    raw = body or {}
    expected = raw.get("expected_total_cents")
    if expected is not None and (isinstance(expected, bool) or not isinstance(expected, int)):
        raise CheckoutInputError({"expected_total_cents": t("checkout.errors.whole_cents", language)})
    placed = checkout_service.place(
        db,
        store_id=store.id,
        cart_token=cart_token(request),
        raw=raw,
        key=idempotency_key or raw.get("idempotency_key"),
        customer=customer,
        language=language,
        expected_total_cents=expected,
        site_root=site_root(request),
    )
    return JSONResponse(order_json(request, placed), status_code=201 if placed.created else 200)
