"""What the cart's pages and API share: the cart cookie and the view of a cart."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from modules.cart.config import config
from modules.cart.services import CART_COOKIE, cart_service
from orion_server.config import get_settings


def cart_token(request: Request) -> str | None:
    """The cart token of this request: the cookie's, or one made earlier in the request."""
    token = getattr(request.state, "new_cart_token", None) or request.cookies.get(CART_COOKIE)
    return token if cart_service.valid_token(token) else None


def ensure_token(request: Request) -> str:
    """The request's cart token, making a new one (set on the response by ``keep_token``)."""
    token = cart_token(request)
    if token is None:
        token = cart_service.new_token()
        request.state.new_cart_token = token
    return token


def keep_token(request: Request, response: Response) -> Response:
    """Set the cart cookie on ``response`` when this request made a new token."""
    token = getattr(request.state, "new_cart_token", None)
    if token:
        response.set_cookie(
            CART_COOKIE,
            token,
            max_age=config.expiry_days * 86400,
            httponly=True,
            samesite="lax",
            secure=get_settings().secure_cookies,
            path="/",
        )
    return response


def cart_json(cart: Any, messages: list[str] | None = None) -> dict[str, Any]:
    """A cart as the storefront API answers it."""
    totals = cart_service.totals(cart)
    lines = cart.lines if cart is not None else []
    return {
        "lines": [
            {
                "sku": line.sku,
                "title": line.title,
                "quantity": line.quantity,
                "unit_price_cents": line.unit_price_cents,
                "total_cents": line.total_cents,
            }
            for line in lines
        ],
        "subtotal_cents": totals.subtotal_cents,
        "item_count": totals.item_count,
        "currency": "EUR",
        "messages": list(messages or []),
    }
