"""Offline gateways: the payer pays outside Orion and staff mark the payment paid."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from modules.contracts.payment_gateway import (
    PaymentRequest,
    PaymentStart,
    RefundResult,
    WebhookEvent,
    WebhooksNotSupported,
)
from modules.payments.gateways.base import SettingField, text

IBAN_PATTERN = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")
BIC_PATTERN = re.compile(r"^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$")


def normalise_iban(value: str) -> str:
    """Upper case without spaces."""
    return re.sub(r"\s+", "", value).upper()


def iban_is_valid(value: str) -> bool:
    """Shape and ISO 13616 check digits (mod 97)."""
    iban = normalise_iban(value)
    if not IBAN_PATTERN.match(iban):
        return False
    moved = iban[4:] + iban[:4]
    digits = "".join(str(int(ch, 36)) for ch in moved)
    return int(digits) % 97 == 1


class _OfflineGateway:
    """Payments stay pending until staff confirm they received the money."""

    code = ""
    label_key = ""
    requires_staff_confirmation = True
    FIELDS: tuple[SettingField, ...] = ()
    instructions_key = ""

    def __init__(self, settings: Mapping[str, Any]) -> None:
        self._settings = {f.name: text(settings, f.name) for f in self.FIELDS}

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> _OfflineGateway:
        return cls(settings)

    @classmethod
    def check_settings(cls, settings: Mapping[str, Any]) -> dict[str, str]:
        return {}

    def start_payment(self, *, payment: PaymentRequest) -> PaymentStart:
        return PaymentStart(
            kind="offline",
            instructions={
                "key": self.instructions_key,
                "reference": payment.reference,
                "amount_cents": payment.amount_cents,
                "currency": payment.currency,
                **self._settings,
            },
        )

    def handle_webhook(self, *, headers: Mapping[str, str], raw_body: bytes) -> WebhookEvent | None:
        raise WebhooksNotSupported(self.code)

    def refund(self, *, provider_payment_id: str, amount_cents: int, idempotency_key: str = "") -> RefundResult:
        """Money goes back outside Orion; the refund is only recorded."""
        return RefundResult(ok=True, amount_cents=amount_cents)


class BankTransferGateway(_OfflineGateway):
    """The payer transfers the amount with the order number as reference."""

    code = "bank_transfer"
    label_key = "payments.gateway.bank_transfer"
    instructions_key = "payments.instructions.bank_transfer"
    FIELDS = (
        SettingField("account_holder", "payments.field.account_holder"),
        SettingField("iban", "payments.field.iban"),
        SettingField("bic", "payments.field.bic", required=False),
    )

    def __init__(self, settings: Mapping[str, Any]) -> None:
        super().__init__(settings)
        self._settings["iban"] = normalise_iban(self._settings["iban"])

    @classmethod
    def check_settings(cls, settings: Mapping[str, Any]) -> dict[str, str]:
        errors: dict[str, str] = {}
        iban = text(settings, "iban")
        if iban and not iban_is_valid(iban):
            errors["iban"] = "payments.errors.iban_invalid"
        bic = text(settings, "bic").upper()
        if bic and not BIC_PATTERN.match(bic):
            errors["bic"] = "payments.errors.bic_invalid"
        return errors


class CashOnPickupGateway(_OfflineGateway):
    """The payer pays at the counter when collecting the order."""

    code = "cash_on_pickup"
    label_key = "payments.gateway.cash_on_pickup"
    instructions_key = "payments.instructions.cash_on_pickup"
    FIELDS = ()
