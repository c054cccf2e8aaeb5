"""What the cart's pages and API share: the view of a cart."""

from __future__ import annotations

from typing import Any

from modules.cart.services import cart_service


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
