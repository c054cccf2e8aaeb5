"""Errors of the Messaging module."""

from orion_server.errors import OrionError


class MessagingError(OrionError):
    """Base of the Messaging module's errors."""
