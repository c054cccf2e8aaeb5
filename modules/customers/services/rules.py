"""The customers' limits, patterns and small helpers shared by their services, and the checks
of what is typed into a customer's fields."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from typing import Any

from modules.customers.exceptions import Problem
from orion_server.auth.passwords import MIN_PASSWORD_LENGTH
from orion_server.config import SUPPORTED_LANGUAGES

CUSTOMER_COOKIE = "orion_customer"
RESET_LIFETIME = timedelta(hours=1)
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_NOTE = 5000
MAX_PASSWORD = 1000
FIELD_LIMITS = {
    "email": 255,
    "first_name": 100,
    "last_name": 100,
    "phone": 50,
    "label": 50,
    "name": 200,
    "street": 300,
    "postal_code": 20,
    "city": 100,
}
PROFILE_FIELDS = (
    "email",
    "first_name",
    "last_name",
    "phone",
    "preferred_language",
    "marketing_consent",
)
ADDRESS_FIELDS = (
    "label",
    "name",
    "street",
    "postal_code",
    "city",
    "country",
    "is_default_shipping",
    "is_default_billing",
)
KEEP: Any = object()
"""Marks a keyword argument of ``update_profile`` that should stay as it is."""


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email: str | None) -> str:
    """The e-mail address as stored: trimmed and lower-case."""
    return (email or "").strip().lower()


class Validation:
    """The checks of what is typed into a customer's fields: each one adds its problems to a
    list and returns the cleaned value."""

    @staticmethod
    def _text(problems: list[Problem], name: str, value: Any, *, required: bool = False) -> str:
        text = str(value or "").strip()
        if required and not text:
            problems.append(Problem(name, f"customers.errors.{name}_required"))
        limit = FIELD_LIMITS.get(name)
        if limit and len(text) > limit:
            problems.append(Problem(name, "customers.errors.too_long", {"max": limit}))
        return text

    def _email(self, problems: list[Problem], email: str | None) -> str:
        value = normalise_email(email)
        if not value:
            problems.append(Problem("email", "customers.errors.email_required"))
        elif len(value) > FIELD_LIMITS["email"] or not EMAIL_PATTERN.match(value):
            problems.append(Problem("email", "customers.errors.email_invalid"))
        return value

    @staticmethod
    def _password(problems: list[Problem], password: str | None, field: str = "password") -> str:
        value = password or ""
        if len(value) < MIN_PASSWORD_LENGTH:
            problems.append(
                Problem(field, "customers.errors.password_short", {"min": MIN_PASSWORD_LENGTH})
            )
        elif len(value) > MAX_PASSWORD:
            problems.append(Problem(field, "customers.errors.too_long", {"max": MAX_PASSWORD}))
        return value

    @staticmethod
    def _language(problems: list[Problem], language: str | None, default: str) -> str:
        value = (language or "").strip().lower() or default
        if value not in SUPPORTED_LANGUAGES:
            problems.append(Problem("preferred_language", "customers.errors.language_invalid"))
        return value
