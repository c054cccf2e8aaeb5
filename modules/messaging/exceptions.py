"""Errors of the Messaging module; each knows how to explain itself in the user's language."""

from __future__ import annotations

from typing import Any

from orion_server.errors import OrionError, ValidationError
from orion_server.i18n import t


class MessagingError(OrionError):
    """Base of the Messaging module's errors."""


class _Translated:
    key: str
    params: dict[str, Any]

    def message_in(self, language: str) -> str:
        """The explanation in ``language``."""
        return t(self.key, language, **self.params)


class MessagingInputError(_Translated, ValidationError):
    """Input (a template, an address, SMTP settings) that breaks a rule: 422 naming the field."""

    def __init__(self, key: str, *, field: str | None = None, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(t(key, "en", **params), field=field)


class DeliveryError(_Translated, MessagingError):
    """The SMTP server could not be reached or refused the email (the reason has no secret)."""

    status = 502
    code = "delivery_failed"

    def __init__(self, reason: str) -> None:
        self.key = "messaging.errors.delivery_failed"
        self.params = {"reason": reason}
        super().__init__(t(self.key, "en", **self.params))


def message_for(error: OrionError, language: str) -> str:
    """The error's message in ``language`` when it can translate itself."""
    if isinstance(error, _Translated):
        return error.message_in(language)
    return error.message
