"""Errors of the Inventory module."""

from __future__ import annotations

from collections.abc import Iterable

from orion_server.errors import ConflictError, OrionError
from orion_server.forms import InputError, Problem


class InventoryError(OrionError):
    """Base of the Inventory module's errors."""


class OutOfStockError(ConflictError):
    """Some lines of a reservation cannot be served: nothing was reserved (409).

    ``skus`` names every SKU that is short, in the order of the lines.
    """

    code = "out_of_stock"

    def __init__(self, skus: Iterable[str]) -> None:
        self.skus = list(dict.fromkeys(skus))
        super().__init__(
            f"not enough stock for {', '.join(self.skus)}; nothing was reserved",
            skus=self.skus,
        )


class ReservationStateError(ConflictError):
    """A reservation cannot move to the asked state (committing a released one, say) (409)."""

    code = "reservation_state"


class StockInputError(InputError):
    """Input breaking a stock rule (422); ``field`` names the input, ``key`` the translation."""

    def __init__(self, field: str, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__([Problem(field, key, dict(params))])

    def message_in(self, language: str) -> str:
        """The message in ``language``."""
        return self.problems[0].message(language)
