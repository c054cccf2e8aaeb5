"""The shopper's status page: the secret in its link that opens an order without an account."""

from __future__ import annotations

import hashlib
import hmac

from sqlalchemy import select
from sqlalchemy.orm import Session

from modules.orders.models import Order
from orion_server.config import get_settings
from orion_server.errors import NotFoundError


class StatusPage:
    """The shopper's status page: the secret in its link that opens an order without an
    account."""

    @staticmethod
    def status_token(order: Order) -> str:
        """The secret that opens ``order``'s status page without an account (in the link of the
        confirmation page and e-mail): an HMAC of the order under the installation's key."""
        message = f"order-status:{order.store_id}:{order.id}:{order.number}".encode()
        digest = hmac.new(get_settings().secret_key.encode(), message, hashlib.sha256).hexdigest()
        return digest[:40]

    def check_status_token(self, db: Session, *, store_id: int, number: str, token: str | None) -> Order:
        """The store's order ``number`` when ``token`` is its status token; NotFoundError
        otherwise (a wrong token looks like a missing order)."""
        order = db.scalar(select(Order).where(Order.store_id == store_id, Order.number == number))
        if order is None or not token or not hmac.compare_digest(self.status_token(order), str(token)):
            raise NotFoundError(f"no order {number}")
        return order

    def status_path(self, order: Order) -> str:
        """The status page of ``order``, relative to its storefront's root (``orders/BD-000001/status?token=…``)."""
        return f"orders/{order.number}/status?token={self.status_token(order)}"
