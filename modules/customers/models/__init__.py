"""Customers: models."""

from modules.customers.models.customer import (
    Customer,
    CustomerAddress,
    CustomerNote,
    CustomerNumberCounter,
    CustomerSegment,
    CustomerSession,
    PasswordResetToken,
)

__all__ = [
    "Customer",
    "CustomerAddress",
    "CustomerNote",
    "CustomerNumberCounter",
    "CustomerSegment",
    "CustomerSession",
    "PasswordResetToken",
]
