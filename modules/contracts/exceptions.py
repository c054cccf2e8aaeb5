"""Errors of the Contracts module."""

from orion_server.errors import OrionError


class ContractsError(OrionError):
    """Base of the Contracts module's errors."""
