"""Payments: models."""

from modules.payments.models.payment import (
    PAYMENT_STATUSES,
    Payment,
    PaymentEventSeen,
    PlatformPaymentSettings,
    StorePaymentSettings,
)

__all__ = ["PAYMENT_STATUSES", "Payment", "PaymentEventSeen", "PlatformPaymentSettings", "StorePaymentSettings"]
