"""Errors of the Billing & Subscriptions module."""

from orion_server.errors import OrionError
from orion_server.forms import InputError, Problem


class BillingError(OrionError):
    """Base of the Billing & Subscriptions module's errors."""


class BillingInputError(InputError):
    """A plan change, trial extension or seller detail broke one or more rules (422, every
    field named)."""


__all__ = ["BillingError", "BillingInputError", "Problem"]
