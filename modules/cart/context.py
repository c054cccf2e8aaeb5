"""What the cart says of each shopper on every storefront page: ``cart_summary`` for the header
(a visitor provider: filled per request, also into pages served from the page cache)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from modules.cart.cookies import cart_token
from modules.cart.models import Cart, CartLine
from modules.cart.services import cart_service
from orion_server.database import utcnow
from orion_server.deps import storefront_root


def storefront_context(request: Any, db: Any, platform: Any) -> dict[str, Any]:
    """``cart_summary``: ``{"count": units in the cart, "url": the cart page}`` (one query)."""
    store = getattr(request.state, "store", None)
    if store is None:
        return {}
    root = storefront_root(request)
    count = 0
    token = cart_token(request)
    if token:
        count = db.scalar(
            select(func.coalesce(func.sum(CartLine.quantity), 0))
            .join(Cart, Cart.id == CartLine.cart_id)
            .where(
                Cart.token_hash == cart_service.hash_token(store_id=store.id, token=token),
                Cart.status == "open",
                Cart.expires_at > utcnow(),
            )
        ) or 0
    return {"cart_summary": {"count": int(count), "url": f"{root}cart"}}
