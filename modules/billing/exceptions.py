"""Errors of the Billing & Subscriptions module."""

from orion_server.errors import OrionError


class BillingError(OrionError):
    """Base of the Billing & Subscriptions module's errors."""
