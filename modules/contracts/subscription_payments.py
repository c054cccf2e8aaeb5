"""How billing lets a store pay its subscription invoice by card without importing payments.

The platform collects subscriptions through its *own* provider account (a platform admin enters
its Stripe keys), not through a store's. The payments module provides ``PlatformPayments``
(``provides=`` in its definition); billing asks for it per platform::

    from modules.contracts.subscription_payments import platform_payments

    payments = platform_payments(db, platform_id=store.platform_id)
    if payments is not None and payments.methods(db, platform_id=store.platform_id, language="fr"):
        ...

When a payment succeeds, payments announces ``PaymentStatusChanged`` with
``purpose="subscription"`` and the invoice number as ``reference``; billing listens to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from modules.contracts.checkout_payments import PaymentMethodChoice, PaymentStartFailed
from orion_server.providers import get_provider

__all__ = ["PaymentMethodChoice", "PaymentStartFailed", "PlatformPayments", "SubscriptionPayment",
           "platform_payments"]


@dataclass(frozen=True)
class SubscriptionPayment:
    """A store's payment to the platform, with what the browser needs to finish it."""

    payment_id: int
    method: str
    status: str
    """``created``, ``pending``, ``succeeded``, ``failed``, ``cancelled`` or ``refunded``."""
    amount_cents: int
    currency: str
    kind: str = ""
    """What the payer does next: ``client_secret`` (confirm in the page with the provider's
    browser library), ``redirect`` (go to ``redirect_url``), or ``""`` (nothing: settled)."""
    redirect_url: str | None = None
    client_secret: str | None = None
    """For ``client_secret``: what the provider's browser library confirms the payment with."""
    publishable_key: str | None = None
    """For ``client_secret``: the public key the browser library is initialised with."""


@runtime_checkable
class PlatformPayments(Protocol):
    """The platform's own payment accounts, as billing needs them (the payments module)."""

    def methods(self, db: Any, *, platform_id: int, language: str) -> list[PaymentMethodChoice]:
        """The card methods the platform's stores may pay their invoices with now ([] if none)."""
        ...

    def start(
        self,
        db: Any,
        *,
        platform_id: int,
        store_id: int,
        method: str,
        amount_cents: int,
        currency: str,
        reference: str,
        idempotency_key: str,
        description: str = "",
        customer_email: str = "",
        return_url: str = "",
        cancel_url: str = "",
        language: str = "en",
    ) -> SubscriptionPayment:
        """Start the store paying ``amount_cents`` to the platform for ``reference`` (an invoice
        number); the same key returns the same payment. Raises ``PaymentStartFailed``."""
        ...

    def payments_for(self, db: Any, *, platform_id: int, store_id: int, reference: str) -> list[SubscriptionPayment]:
        """The store's payments to the platform for ``reference``, oldest first."""
        ...


def platform_payments(db: Any, *, platform_id: int) -> PlatformPayments | None:
    """The provider on the platform, or None where no enabled module provides it."""
    return get_provider(db, PlatformPayments, platform_id=platform_id)
