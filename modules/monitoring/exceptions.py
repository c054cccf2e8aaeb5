"""Errors of the Monitoring module."""

from orion_server.errors import OrionError


class MonitoringError(OrionError):
    """Base of the Monitoring module's errors."""
