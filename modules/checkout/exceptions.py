"""Errors of the Checkout module.

Input errors name each bad field with a translation key (``CheckoutInputError``); the routes
translate them: pages show each field's message, the storefront API answers in the shopper's
language. A conflict (the order cannot be placed as the cart stands) is about the order being
placed, in the language it is placed in, so it carries its message already written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from orion_server.errors import ConflictError, OrionError
from orion_server.forms import Amount, InputError, Problem, field_messages

__all__ = [
    "Amount",
    "CartChangedError",
    "CheckoutConflictError",
    "CheckoutError",
    "CheckoutInputError",
    "EmptyCartError",
    "KeySpentError",
    "OutOfStockError",
    "PriceChangedError",
    "Problem",
    "field_messages",
]


class CheckoutError(OrionError):
    """Base of the Checkout module's errors."""


class CheckoutInputError(InputError):
    """A checkout form, the shipping settings or an API call broke one or more rules (422,
    every field named with a translation key)."""


class CheckoutConflictError(ConflictError):
    """The order cannot be placed as it stands (409); nothing was placed. ``errors`` lists
    the details (the products out of stock, what changed in the cart)."""

    code = "checkout_conflict"

    def __init__(self, message: str, errors: Sequence[Mapping[str, Any]] = (), **details: Any) -> None:
        super().__init__(message, **details)
        self.errors = [dict(e) for e in errors]

    def to_dict(self) -> dict[str, Any]:
        body = super().to_dict()
        body["errors"] = self.errors
        return body


class EmptyCartError(CheckoutConflictError):
    """There is nothing in the cart to order."""

    code = "cart_empty"


class CartChangedError(CheckoutConflictError):
    """Prices or stock changed since the shopper last saw the cart; the cart was updated."""

    code = "cart_changed"


class PriceChangedError(CheckoutConflictError):
    """The total differs from the one the shopper reviewed."""

    code = "price_changed"


class OutOfStockError(CheckoutConflictError):
    """Some products are no longer available in the quantity asked for."""

    code = "out_of_stock"


class KeySpentError(CheckoutConflictError):
    """The idempotency key belongs to an attempt that failed for good; start again with a new one."""

    code = "idempotency_key_spent"


class OrdersPausedError(CheckoutConflictError):
    """The store takes no new orders for now (its platform paused them); nothing was placed."""

    code = "orders_paused"
