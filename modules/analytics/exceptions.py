"""Errors of the Analytics & Reporting module."""

from orion_server.errors import OrionError
from orion_server.forms import InputError


class AnalyticsError(OrionError):
    """Base of the Analytics & Reporting module's errors."""


class OrdersUnavailableError(AnalyticsError):
    """Reports need the orders module, which is off on the platform."""


class ReportInputError(InputError):
    """A custom report's definition, period or name broke one or more rules (422, every field
    named)."""
