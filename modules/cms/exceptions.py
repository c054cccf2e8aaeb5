"""Errors of the Content module."""

from orion_server.errors import OrionError


class CmsError(OrionError):
    """Base of the Content module's errors."""
