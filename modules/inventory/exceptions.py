"""Errors of the Inventory module."""

from orion_server.errors import OrionError


class InventoryError(OrionError):
    """Base of the Inventory module's errors."""
