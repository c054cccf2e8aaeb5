"""Errors of the Customers module."""

from orion_server.errors import OrionError


class CustomersError(OrionError):
    """Base of the Customers module's errors."""
