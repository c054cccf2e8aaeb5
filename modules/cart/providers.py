"""What the cart provides to other modules: its ``ShopperLoginHook``
(``modules.contracts.storefront_customer``; the cart may not import customers).

When a shopper signs in or registers at a storefront, the cart of this browser becomes the
customer's: merged into the customer's open cart when there is one (quantities added, capped
by stock), or adopted as it is. When the browser has no cart but the customer left one on an
earlier visit, this browser's cookie opens that cart from now on.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from modules.cart.config import config
from modules.cart.cookies import cart_token, keep_token
from modules.cart.models import Cart
from modules.cart.services import cart_service
from modules.contracts.storefront_customer import ShopperLogin
from orion_server.database import begin_write, utcnow

logger = logging.getLogger(__name__)


def _open_with(db: Any, cart: Cart, *, store_id: int, token: str) -> None:
    """Make ``token`` open ``cart`` (a cart has one token: the browser that signed in last).
    A stale cart still holding the token's hash (expired) lets it go first."""
    token_hash = cart_service.hash_token(store_id=store_id, token=token)
    begin_write(db)
    try:
        stale = db.scalar(select(Cart).where(Cart.token_hash == token_hash, Cart.id != cart.id))
        if stale is not None:
            if stale.status == "open":
                stale.status = "abandoned"
            stale.token_hash = None
            db.flush()
        now = utcnow()
        cart.token_hash = token_hash
        cart.updated_at = now
        cart.expires_at = now + timedelta(days=config.expiry_days)
    except Exception:
        db.rollback()
        raise
    db.commit()


class MergeCartOnLogin:
    """This browser's cart and the customer's become one when the shopper signs in."""

    def after_login(self, db: Any, event: ShopperLogin) -> None:
        """Merge or adopt the cart, and make this browser's cookie open it."""
        request, response = event.request, event.response
        token = cart_token(request)
        cart = cart_service.merge_into_customer(
            db, store_id=event.store_id, token=token, customer_id=event.customer_id
        )
        if cart is None:
            return
        if token is not None and cart.token_hash == cart_service.hash_token(
            store_id=event.store_id, token=token
        ):
            return  # the cookie opens the customer's cart already
        if token is None:
            token = cart_service.new_token()
            request.state.new_cart_token = token
        _open_with(db, cart, store_id=event.store_id, token=token)
        keep_token(request, response)
