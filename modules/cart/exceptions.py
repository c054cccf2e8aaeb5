"""Errors of the Cart module."""

from orion_server.errors import OrionError


class CartError(OrionError):
    """Base of the Cart module's errors."""
