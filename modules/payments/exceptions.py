"""Errors of the Payments module."""

from orion_server.errors import OrionError


class PaymentsError(OrionError):
    """Base of the Payments module's errors."""
