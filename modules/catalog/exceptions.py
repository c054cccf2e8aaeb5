"""Errors of the Catalog module."""

from orion_server.errors import OrionError


class CatalogError(OrionError):
    """Base of the Catalog module's errors."""
