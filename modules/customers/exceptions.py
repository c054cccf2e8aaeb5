"""Errors of the Customers module: every problem names its field and a translation key."""

from __future__ import annotations

from orion_server.errors import (
    AuthenticationError,
    BusyError,
    OrionError,
    TooManyAttemptsError,
    ValidationError,
)
from orion_server.forms import InputError, Problem
from orion_server.forms import field_messages as _field_messages
from orion_server.i18n import t

__all__ = [
    "CustomerInputError",
    "CustomersError",
    "Problem",
    "ResetTokenInvalidError",
    "WrongCredentialsError",
    "field_messages",
]


class CustomersError(OrionError):
    """Base of the Customers module's errors."""


class CustomerInputError(InputError):
    """A form or API call broke one or more rules (422, every field named)."""


class WrongCredentialsError(AuthenticationError):
    """Unknown e-mail address or wrong password (the same answer for both)."""

    def __init__(self) -> None:
        super().__init__(t("customers.errors.wrong_credentials", "en"))


class ResetTokenInvalidError(ValidationError):
    """A password reset link that is unknown, used or expired."""

    def __init__(self) -> None:
        super().__init__(t("customers.errors.reset_invalid", "en"), field="token")


def field_messages(error: OrionError, language: str) -> dict[str, str]:
    """Per-field messages of any domain error, translated when the error knows how."""
    if isinstance(error, WrongCredentialsError):
        return {"form": t("customers.errors.wrong_credentials", language)}
    if isinstance(error, TooManyAttemptsError):
        return {"form": t("auth.too_many", language, minutes=max(1, -(-error.retry_after // 60)))}
    if isinstance(error, BusyError):
        return {"form": t("auth.busy", language)}
    if isinstance(error, ResetTokenInvalidError):
        return {"form": t("customers.errors.reset_invalid", language)}
    return _field_messages(error, language)
