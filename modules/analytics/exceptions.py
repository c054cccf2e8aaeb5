"""Errors of the Analytics & Reporting module."""

from orion_server.errors import OrionError


class AnalyticsError(OrionError):
    """Base of the Analytics & Reporting module's errors."""


class OrdersUnavailableError(AnalyticsError):
    """Reports need the orders module, which is off on the platform."""
