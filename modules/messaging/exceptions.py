"""Errors of the Messaging module: every input problem names its field and a translation key;
the routes translate (pages in the user's language, the store API in English)."""

from __future__ import annotations

from orion_server.errors import OrionError
from orion_server.forms import InputError, Problem
from orion_server.forms import field_messages as _field_messages
from orion_server.i18n import t

__all__ = [
    "DeliveryError",
    "MessagingError",
    "MessagingInputError",
    "Problem",
    "field_messages",
    "message_for",
]


class MessagingError(OrionError):
    """Base of the Messaging module's errors."""


class MessagingInputError(InputError):
    """Input (a template, an address, SMTP settings, a message) that breaks one or more rules:
    422, every field named."""


class DeliveryError(MessagingError):
    """The SMTP server could not be reached or refused the email (the reason has no secret)."""

    status = 502
    code = "delivery_failed"
    key = "messaging.errors.delivery_failed"

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(t(self.key, "en", reason=reason))

    def message_in(self, language: str) -> str:
        """The explanation in ``language``."""
        return t(self.key, language, reason=self.reason)


def field_messages(error: OrionError, language: str) -> dict[str, str]:
    """``{field: message}`` of any domain error in ``language`` (``form`` when no field)."""
    if isinstance(error, DeliveryError):
        return {error.field or "form": error.message_in(language)}
    return _field_messages(error, language)


def message_for(error: OrionError, language: str) -> str:
    """The error's first message in ``language``."""
    return next(iter(field_messages(error, language).values()))
