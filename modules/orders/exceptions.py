"""Errors of the Orders module."""

from orion_server.errors import OrionError


class OrdersError(OrionError):
    """Base of the Orders module's errors."""
