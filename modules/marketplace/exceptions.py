"""Errors of the Marketplace module."""

from orion_server.errors import OrionError


class MarketplaceError(OrionError):
    """Base of the Marketplace module's errors."""
