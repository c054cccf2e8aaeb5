"""Errors of the Checkout module. Each carries its message already in the shopper's (or staff
member's) language: the services are told the language when they raise."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from orion_server.errors import ConflictError, OrionError, ValidationError


class CheckoutError(OrionError):
    """Base of the Checkout module's errors."""


class CheckoutInputError(ValidationError):
    """A form or API call broke rules (422): ``problems`` maps each bad field to its message."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        self.problems = dict(problems)
        field, message = next(iter(self.problems.items()))
        super().__init__(message, field=field)

    def to_dict(self) -> dict[str, Any]:
        body = super().to_dict()
        body["fields"] = [{"field": name, "message": text} for name, text in self.problems.items()]
        return body


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
