"""Payment gateways and payment events: what payments offers and what other modules consume.

A gateway (bank transfer, cash on pickup, Stripe, PayPal, ...) implements ``PaymentGateway``;
the payments module builds one per store from the store's settings, records every payment and
announces ``PaymentStatusChanged`` (``modules.contracts.events``) when a payment succeeded,
failed or was refunded; orders listens to it without importing payments.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

logger = logging.getLogger(__name__)

EVENT_STATUSES = ("succeeded", "failed", "refunded")
"""Payment statuses announced as ``PaymentStatusChanged``."""


class PaymentGatewayError(Exception):
    """The provider refused or could not be reached; ``message`` is safe to show to staff."""

    def __init__(self, message: str, *, code: str = "gateway_error", declined: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        """Provider's error code (e.g. ``card_declined``) or ``gateway_error``."""
        self.declined = declined
        """True when the payer's means of payment was refused (not a fault of ours)."""


class WebhookVerificationError(Exception):
    """A webhook's signature is missing, wrong, or its timestamp is too old."""


class WebhooksNotSupported(Exception):
    """The gateway receives no webhooks (offline gateways)."""


@dataclass(frozen=True)
class PaymentRequest:
    """What a gateway needs to start one payment."""

    amount_cents: int
    """Amount to collect, in integer cents."""
    currency: str
    """ISO 4217 code, upper case (``EUR``)."""
    reference: str
    """What the payment is for, e.g. an order number; shown to the payer and to staff."""
    description: str = ""
    """Short text for the provider's records and the payer's statement."""
    return_url: str = ""
    """Where the payer comes back after paying at the provider."""
    cancel_url: str = ""
    """Where the payer comes back after giving up at the provider."""
    customer_email: str = ""
    """Payer's e-mail for receipts, may be empty."""
    idempotency_key: str = ""
    """Sent to the provider so a retried start never creates a second payment there."""


@dataclass(frozen=True)
class PaymentStart:
    """What the payer does next: follow a redirect, confirm with a client secret, or pay offline."""

    kind: str
    """``redirect``, ``client_secret`` or ``offline``."""
    provider_payment_id: str | None = None
    """The provider's id of the payment (Stripe PaymentIntent, PayPal order), None offline."""
    redirect_url: str | None = None
    """For ``redirect``: the provider's page where the payer approves the payment."""
    client_secret: str | None = None
    """For ``client_secret``: what the provider's browser library confirms the payment with."""
    publishable_key: str | None = None
    """For ``client_secret``: the public key the browser library is initialised with."""
    instructions: dict[str, Any] = field(default_factory=dict)
    """For ``offline``: what the payer needs (``key``: a translation key, plus its values)."""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly copy."""
        return {
            "kind": self.kind,
            "provider_payment_id": self.provider_payment_id,
            "redirect_url": self.redirect_url,
            "client_secret": self.client_secret,
            "publishable_key": self.publishable_key,
            "instructions": dict(self.instructions),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PaymentStart:
        """The inverse of ``to_dict``."""
        return cls(
            kind=str(data.get("kind") or "offline"),
            provider_payment_id=data.get("provider_payment_id"),
            redirect_url=data.get("redirect_url"),
            client_secret=data.get("client_secret"),
            publishable_key=data.get("publishable_key"),
            instructions=dict(data.get("instructions") or {}),
        )


@dataclass(frozen=True)
class WebhookEvent:
    """A verified provider event about one payment."""

    event_id: str
    """The provider's event id; each is handled once."""
    event_type: str
    """The provider's event type, e.g. ``payment_intent.succeeded``."""
    provider_payment_id: str | None
    """Which payment it is about (PaymentIntent id, PayPal order id)."""
    status: str | None
    """What the payment became: ``succeeded``, ``failed``, ``cancelled``, ``refunded``,
    ``approved`` (PayPal: ready to capture) or None when the event changes nothing."""
    amount_cents: int | None = None
    """Amount received or refunded, when the event says."""
    provider_capture_id: str | None = None
    """PayPal's capture id (what refunds are made against), when the event carries one."""
    failure_message: str = ""
    """The provider's reason for a failure."""


@dataclass(frozen=True)
class RefundResult:
    """The outcome of a refund at the provider."""

    ok: bool
    """True when the provider accepted the refund."""
    provider_refund_id: str | None = None
    """The provider's id of the refund, None offline."""
    amount_cents: int = 0
    """Amount refunded."""
    message: str = ""
    """The provider's reason when it refused."""


@runtime_checkable
class PaymentGateway(Protocol):
    """One way of paying, configured for one store."""

    code: str
    """Stable identifier, e.g. ``stripe``; part of the webhook URL."""
    label_key: str
    """Translation key of the name shown to payers and staff."""
    requires_staff_confirmation: bool
    """True when staff mark payments paid by hand (offline gateways)."""

    def start_payment(self, *, payment: PaymentRequest) -> PaymentStart:
        """Create the payment at the provider; raises ``PaymentGatewayError`` when refused."""
        ...

    def handle_webhook(self, *, headers: Mapping[str, str], raw_body: bytes) -> WebhookEvent | None:
        """Verify and read a webhook (``WebhookVerificationError`` if forged or stale); None
        when the event concerns no payment status."""
        ...

    def refund(self, *, provider_payment_id: str, amount_cents: int, idempotency_key: str = "") -> RefundResult:
        """Give back ``amount_cents`` of a succeeded payment; raises ``PaymentGatewayError``.
        The same ``idempotency_key`` twice refunds once (a retry after a lost answer)."""
        ...
