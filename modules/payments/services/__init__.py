"""Payments: services."""

from modules.payments.services.payment_service import PaymentService, payment_service
from modules.payments.services.settings_service import (
    GatewaySettingsView,
    PaymentSettingsService,
    platform_settings_service,
    settings_service,
)

__all__ = [
    "GatewaySettingsView",
    "PaymentService",
    "PaymentSettingsService",
    "payment_service",
    "platform_settings_service",
    "settings_service",
]
