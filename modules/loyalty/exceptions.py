"""Errors of the Loyalty module."""

from orion_server.errors import OrionError


class LoyaltyError(OrionError):
    """Base of the Loyalty module's errors."""
