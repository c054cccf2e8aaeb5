"""The cart cookie: which cart a browser opens, for the cart's routes and for checkout."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from modules.cart.config import config
from modules.cart.services import CART_COOKIE, cart_service
from orion_server.config import get_settings


def cart_token(request: Request) -> str | None:
    """The cart token of this request: the cookie's, or one made earlier in the request."""
    token = getattr(request.state, "new_cart_token", None) or request.cookies.get(CART_COOKIE)
    return token if cart_service.valid_token(token) else None


def ensure_token(request: Request) -> tuple[str, bool]:
    """The request's cart token, making a new one (set on the response by ``keep_token``) when
    there is none; with whether it was made now (then no cart holds it yet)."""
    token = cart_token(request)
    if token is not None:
        return token, False
    token = cart_service.new_token()
    request.state.new_cart_token = token
    return token, True


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
