"""Errors of the Payments module."""

from __future__ import annotations

from typing import Any

from orion_server.errors import OrionError, ValidationError
from orion_server.i18n import t


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


class SettingsInputError(ValidationError):
    """Gateway settings that break rules; ``problems`` maps a field to a translation key."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = dict(problems)
        field, key = next(iter(self.problems.items()))
        super().__init__(t(key, "en"), field=field)

    def field_messages(self, language: str = "en") -> dict[str, str]:
        """``{field: message}`` in ``language``."""
        return {field: t(key, language) for field, key in self.problems.items()}

    def to_dict(self) -> dict[str, Any]:
        body = super().to_dict()
        body["fields"] = [
            {"field": name, "message": text} for name, text in self.field_messages().items()
        ]
        return body
