"""Errors of the Developer Tools module."""

from orion_server.errors import OrionError


class DevToolsError(OrionError):
    """Base of the Developer Tools module's errors."""
