"""Errors of the Orders module."""

from __future__ import annotations

from orion_server.errors import OrionError, ValidationError


class OrdersError(OrionError):
    """Base of the Orders module's errors."""


class TransitionNotAllowedError(ValidationError):
    """The status machine refuses to move an order from one status to another (422, field ``to``)."""

    code = "transition_not_allowed"

    def __init__(self, from_status: str, to_status: str) -> None:
        super().__init__(
            f"an order cannot go from {from_status} to {to_status}",
            field="to",
            from_status=from_status,
            to_status=to_status,
        )
        self.from_status = from_status
        self.to_status = to_status
