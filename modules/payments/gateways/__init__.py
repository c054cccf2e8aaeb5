"""The gateways payments offers, each built per store from that store's settings.

A gateway class declares the settings it needs (``FIELDS``; secrets are never shown again once
saved) and builds itself with ``from_settings(settings)``.
"""

from __future__ import annotations

from modules.payments.gateways.base import GatewayClass, SettingField
from modules.payments.gateways.offline import BankTransferGateway, CashOnPickupGateway
from modules.payments.gateways.paypal import PayPalGateway
from modules.payments.gateways.stripe_gateway import StripeGateway

GATEWAYS: dict[str, GatewayClass] = {
    cls.code: cls
    for cls in (BankTransferGateway, CashOnPickupGateway, StripeGateway, PayPalGateway)
}
"""Every gateway class by code, in the order pages list them."""

__all__ = ["GATEWAYS", "GatewayClass", "SettingField"]
