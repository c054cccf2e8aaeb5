"""Customers: models."""

from modules.customers.models.customer import (
    Customer,
    CustomerAddress,
    CustomerNote,
    CustomerNumberCounter,
    CustomerSegment,
    CustomerSession,
    EmailConfirmation,
    PasswordResetToken,
)

__all__ = [
    "Customer",
    "CustomerAddress",
    "CustomerNote",
    "CustomerNumberCounter",
    "CustomerSegment",
    "CustomerSession",
    "EmailConfirmation",
    "PasswordResetToken",
]
