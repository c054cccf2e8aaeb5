"""Errors of the Core module."""

from orion_server.errors import OrionError


class CoreError(OrionError):
    """Base of the Core module's errors."""
