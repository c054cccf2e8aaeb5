"""Errors of the Payments module."""

from __future__ import annotations

from orion_server.errors import OrionError
from orion_server.forms import InputError, Problem


class PaymentsError(OrionError):
    """Base of the Payments module's errors."""


class PaymentDeclinedError(PaymentsError):
    """The payer's means of payment was refused by the provider (402)."""

    status = 402
    code = "payment_declined"


class GatewayFailedError(PaymentsError):
    """The provider refused our request or could not be reached (502)."""

    status = 502
    code = "gateway_error"


class WebhookRejectedError(PaymentsError):
    """A webhook whose signature is wrong or whose timestamp is stale (400)."""

    status = 400
    code = "webhook_rejected"


class SettingsInputError(InputError):
    """Gateway settings that break rules; ``problems`` maps a field to a translation key."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__([Problem(field, key) for field, key in problems.items()])
