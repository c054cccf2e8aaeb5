"""Errors of the Checkout module."""

from orion_server.errors import OrionError


class CheckoutError(OrionError):
    """Base of the Checkout module's errors."""
