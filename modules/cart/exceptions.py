"""Errors of the Cart module."""

from orion_server.errors import ConflictError, OrionError


class CartError(OrionError):
    """Base of the Cart module's errors."""


class CartOutOfStockError(ConflictError):
    """Some of the cart's lines cannot be reserved for checkout; nothing was reserved (409).

    ``skus`` names every short SKU, in the order of the cart's lines."""

    code = "out_of_stock"

    def __init__(self, skus: list[str]) -> None:
        self.skus = list(skus)
        super().__init__(f"not enough stock for {', '.join(self.skus)}", skus=self.skus)


class ReservationSpentError(ConflictError):
    """The reference was reserved before and that reservation was released or sold already:
    it cannot hold units again (409); the caller starts over with a new reference."""

    code = "reservation_spent"
