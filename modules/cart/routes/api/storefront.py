"""The storefront's cart API, at ``{storefront root}api/v1/cart``.

The cart is the one of the ``orion_cart`` cookie (set by the first change when missing);
bad input answers 422 with ``fields`` (one ``{"field", "message"}`` per bad input).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Request, Response

from modules.cart.config import CART_WRITES
from modules.cart.cookies import cart_token, ensure_token, keep_token
from modules.cart.routes.common import cart_json
from modules.cart.schemas import CartOut, LineIn, QuantityIn
from modules.cart.services import cart_service
from orion_server.deps import CurrentStore, SessionDep
from orion_server.rate_limits import RateLimited
from orion_server.routing import ModuleRouter

router = ModuleRouter()

Sku = Annotated[str, Path(min_length=1, max_length=64)]


@router.get("", response_model=CartOut)
def get_cart(request: Request, db: SessionDep, store: CurrentStore) -> CartOut:
    """The cart with its lines and totals, checked against today's prices and stock."""
    cart = cart_service.find(db, store_id=store.id, token=cart_token(request))
    refreshed = cart_service.refresh(db, cart=cart, language=request.state.language)
    return CartOut(**cart_json(refreshed.cart, refreshed.messages))


@router.post("/lines", status_code=201, response_model=CartOut, dependencies=[RateLimited("cart.write", CART_WRITES)])
def add_line(
    request: Request, response: Response, body: LineIn, db: SessionDep, store: CurrentStore
) -> CartOut:
    """Add units of a SKU; 422 for an unknown SKU or more than is in stock."""
    token, made_now = ensure_token(request)
    cart = cart_service.add(
        db,
        store_id=store.id,
        token=token,
        new_token=made_now,
        sku=body.sku,
        quantity=body.quantity,
        language=request.state.language,
    )
    keep_token(request, response)
    return CartOut(**cart_json(cart))


@router.patch("/lines/{sku}", response_model=CartOut, dependencies=[RateLimited("cart.write", CART_WRITES)])
def change_line(
    request: Request, sku: Sku, body: QuantityIn, db: SessionDep, store: CurrentStore
) -> CartOut:
    """Set the units of a line (0 removes it); 404 when the cart has no such line."""
    cart = cart_service.change_quantity(
        db,
        store_id=store.id,
        token=cart_token(request) or "",
        sku=sku,
        quantity=body.quantity,
        language=request.state.language,
    )
    return CartOut(**cart_json(cart))


@router.delete("/lines/{sku}", response_model=CartOut, dependencies=[RateLimited("cart.write", CART_WRITES)])
def delete_line(request: Request, sku: Sku, db: SessionDep, store: CurrentStore) -> CartOut:
    """Take a line out of the cart; 404 when there is no such line."""
    cart = cart_service.remove(db, store_id=store.id, token=cart_token(request) or "", sku=sku)
    return CartOut(**cart_json(cart))
