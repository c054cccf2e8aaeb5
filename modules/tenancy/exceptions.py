"""Errors of the Tenancy module."""

from orion_server.errors import OrionError


class TenancyError(OrionError):
    """Base of the Tenancy module's errors."""
