"""The storefront's checkout API, at ``{storefront root}api/v1/checkout``.

It works on the cart of the ``orion_cart`` cookie, like the cart API, and needs the CSRF token
in ``X-CSRF-Token`` for POSTs. Errors answer ``{"error", "message", "fields"}`` (422, one entry
per bad field, in the shopper's language) or ``{"error", "message", "errors"}`` (409:
``cart_empty``, ``cart_changed``, ``price_changed``, ``out_of_stock``, ``idempotency_key_spent``).

| route | what |
|---|---|
| ``GET /options`` | shipping methods priced for the cart, payment methods, the cart's subtotal |
| ``POST /quote`` | ``{"shipping_method"}`` -> lines, totals and the VAT per rate |
| ``POST /place`` | the checkout form plus ``Idempotency-Key`` (header or body field): 201 with the new order, 200 with the same order on a repeat |
"""

from __future__ import annotations

from fastapi import Depends, Header, Request, Response, status

from modules.cart.cookies import cart_token
from modules.cart.services import cart_service
from modules.checkout.config import ORDERS_PER_CLIENT
from modules.checkout.exceptions import CheckoutInputError, EmptyCartError, Problem
from modules.checkout.routes.common import order_json, payment_method_json, shipping_json, site_root
from modules.checkout.schemas import (
    DiscountOut,
    OptionsOut,
    PlacedOrderOut,
    PlaceIn,
    QuoteIn,
    QuoteOut,
)
from modules.checkout.services import checkout_service
from modules.customers.deps import OptionalCustomer
from orion_server.deps import CurrentStore, SessionDep
from orion_server.forms import problems_in_request_language
from orion_server.i18n import t
from orion_server.rate_limits import RateLimited
from orion_server.routing import ModuleRouter

router = ModuleRouter(dependencies=[Depends(problems_in_request_language)])


@router.get("/options", response_model=OptionsOut)
def options(request: Request, db: SessionDep, store: CurrentStore, customer: OptionalCustomer) -> OptionsOut:
    """What the shopper can choose: shipping methods (priced for this cart), payment methods and,
    signed in, the discounts they may take (loyalty points)."""
    language = request.state.language
    cart = cart_service.find(db, store_id=store.id, token=cart_token(request))
    totals = cart_service.totals(cart)
    return OptionsOut(
        shipping_methods=[
            shipping_json(m)
            for m in checkout_service.shipping_methods(
                db, store_id=store.id, cart=cart, language=language
            )
        ],
        payment_methods=[
            payment_method_json(m)
            for m in checkout_service.payment_methods(db, store_id=store.id, language=language)
        ],
        subtotal_cents=totals.subtotal_cents,
        item_count=totals.item_count,
        currency="EUR",
        discounts=[DiscountOut(key=o.key, label=o.label, detail=o.detail, cents=o.cents)
                   for o, _provider in checkout_service.discount_offers(
                       db, store_id=store.id, cart=cart, customer=customer, language=language)],
    )


@router.post("/quote", response_model=QuoteOut)
def quote(request: Request, body: QuoteIn, db: SessionDep, store: CurrentStore,
          customer: OptionalCustomer) -> QuoteOut:
    """Totals and the VAT breakdown of the cart with ``shipping_method`` and the ``discounts``
    taken."""
    language = request.state.language
    cart = cart_service.find(db, store_id=store.id, token=cart_token(request))
    if cart is None or not cart.lines:
        raise EmptyCartError(t("checkout.errors.cart_empty", language))
    refreshed = cart_service.refresh(db, cart=cart, language=language)
    methods = {
        m.code: m
        for m in checkout_service.shipping_methods(
            db, store_id=store.id, cart=cart, language=language
        )
    }
    method = methods.get(body.shipping_method)
    if method is None:
        raise CheckoutInputError([Problem("shipping_method", "checkout.errors.shipping_method")])
    offered = {o.key: o for o, _provider in checkout_service.discount_offers(
        db, store_id=store.id, cart=cart, customer=customer, language=language)} if body.discounts else {}
    if any(key not in offered for key in body.discounts):
        raise CheckoutInputError([Problem("discounts", "checkout.errors.discount_unknown")])
    discount = sum(offered[key].cents for key in dict.fromkeys(body.discounts))
    result = checkout_service.quote(db, cart=cart, shipping=method, language=language,
                                    discount_cents=discount).as_dict()
    return QuoteOut(**result, messages=refreshed.messages)


@router.post(
    "/place",
    response_model=PlacedOrderOut,
    status_code=status.HTTP_201_CREATED,
    dependencies=[RateLimited("checkout.place", ORDERS_PER_CLIENT)],
    responses={
        200: {
            "model": PlacedOrderOut,
            "description": "The same key again: the order placed before.",
        }
    },
)
def place(
    request: Request,
    response: Response,
    body: PlaceIn,
    db: SessionDep,
    store: CurrentStore,
    customer: OptionalCustomer,
    idempotency_key: str | None = Header(default=None, alias="Idempotency-Key"),
) -> PlacedOrderOut:
    """Place the cart's order; the same key again answers 200 with the same order."""
    raw = body.model_dump(exclude={"idempotency_key", "expected_total_cents"})
    placed = checkout_service.place(
        db,
        store_id=store.id,
        cart_token=cart_token(request),
        raw=raw,
        key=idempotency_key or body.idempotency_key,
        customer=customer,
        language=request.state.language,
        expected_total_cents=body.expected_total_cents,
        site_root=site_root(request),
    )
    if not placed.created:
        response.status_code = status.HTTP_200_OK
    return PlacedOrderOut(**order_json(request, placed))
