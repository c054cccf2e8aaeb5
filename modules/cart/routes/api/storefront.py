"""The storefront's cart API, at ``{storefront root}api/v1/cart``.

The cart is the one of the ``orion_cart`` cookie (set by the first change when missing);
bad input answers 422 with ``field`` and ``message``.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from modules.cart.cookies import cart_token, ensure_token, keep_token
from modules.cart.routes.common import cart_json
from modules.cart.schemas import LineIn, QuantityIn
from modules.cart.services import cart_service
from orion_server.deps import CurrentStore, SessionDep

router = APIRouter()


@router.get("")
def get_cart(request: Request, db: SessionDep, store: CurrentStore) -> JSONResponse:
    """The cart with its lines and totals, checked against today's prices and stock."""
    cart = cart_service.find(db, store_id=store.id, token=cart_token(request))
    refreshed = cart_service.refresh(db, cart=cart, language=request.state.language)
    return JSONResponse(cart_json(refreshed.cart, refreshed.messages))


@router.post("/lines", status_code=201)
def add_line(request: Request, body: LineIn, db: SessionDep, store: CurrentStore) -> JSONResponse:
    """Add units of a SKU; 422 for an unknown SKU or more than is in stock."""
    cart = cart_service.add(
        db,
        store_id=store.id,
        token=ensure_token(request),
        sku=body.sku,
        quantity=body.quantity,
        language=request.state.language,
    )
    return keep_token(request, JSONResponse(cart_json(cart), status_code=201))


@router.patch("/lines/{sku}")
def change_line(
    request: Request, sku: str, body: QuantityIn, db: SessionDep, store: CurrentStore
) -> JSONResponse:
    """Set the units of a line (0 removes it); 404 when the cart has no such line."""
    cart = cart_service.change_quantity(
        db,
        store_id=store.id,
        token=cart_token(request) or "",
        sku=sku,
        quantity=body.quantity,
        language=request.state.language,
    )
    return JSONResponse(cart_json(cart))


@router.delete("/lines/{sku}")
def delete_line(request: Request, sku: str, db: SessionDep, store: CurrentStore) -> JSONResponse:
    """Take a line out of the cart; 404 when there is no such line."""
    cart = cart_service.remove(db, store_id=store.id, token=cart_token(request) or "", sku=sku)
    return JSONResponse(cart_json(cart))
