"""How checkout offers payment methods and starts a payment without importing payments.

The payments module provides ``CheckoutPayments`` (``provides=`` in its definition); checkout
asks ``checkout_payments(db, store_id=...)`` for it::

    from modules.contracts.checkout_payments import checkout_payments

    methods = checkout_payments(db, store_id=store.id).methods(db, store_id=store.id, language="fr")

Texts in the answers (labels, instructions) are already in the shopper's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from orion_server.providers import get_provider
from orion_server.tenants import platform_id_of_store


class NoCheckoutPaymentsError(RuntimeError):
    """No enabled module provides payments to checkout on the store's platform."""


class PaymentStartFailed(Exception):
    """The payment could not be started (gateway off, provider refused or unreachable);
    ``message`` is safe to show to the shopper, in the language asked for."""

    def __init__(self, message: str, *, declined: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.declined = declined
        """True when the payer's means of payment was refused (not a fault of the shop)."""


@dataclass(frozen=True)
class PaymentMethodChoice:
    """One way to pay a shopper may choose at a store."""

    code: str
    """Stable code, e.g. ``bank_transfer``; what ``start`` takes as ``method``."""
    label: str
    description: str = ""
    """A sentence about how paying works with this method."""


@dataclass(frozen=True)
class StartedPayment:
    """A payment as checkout shows it to the shopper."""

    payment_id: int
    method: str
    status: str
    """``created``, ``pending``, ``succeeded``, ``failed``, ``cancelled`` or ``refunded``."""
    amount_cents: int
    redirect_url: str | None = None
    """Where the shopper pays online, None for offline methods."""
    instructions: str = ""
    """What the shopper does to pay offline (bank details, pay at pickup), in their language."""


@runtime_checkable
class CheckoutPayments(Protocol):
    """Payments as checkout needs them (the payments module)."""

    def methods(self, db: Any, *, store_id: int, language: str) -> list[PaymentMethodChoice]:
        """The methods the store offers now, in the usual order."""
        ...

    def start(
        self,
        db: Any,
        *,
        store_id: int,
        method: str,
        amount_cents: int,
        reference: str,
        idempotency_key: str,
        customer_email: str = "",
        description: str = "",
        return_url: str = "",
        cancel_url: str = "",
        language: str = "en",
    ) -> StartedPayment:
        """Start paying ``amount_cents`` for ``reference``; the same key returns the same
        payment. Raises ``PaymentStartFailed`` when it cannot be started."""
        ...

    def payments_for(
        self, db: Any, *, store_id: int, reference: str, language: str
    ) -> list[StartedPayment]:
        """The payments made for ``reference`` (an order number), oldest first."""
        ...

    def settle_returned(
        self, db: Any, *, store_id: int, reference: str, language: str
    ) -> list[StartedPayment]:
        """The shopper is back from the provider's page: settle what they approved there (a
        PayPal capture; safe to repeat, it never charges twice), then ``payments_for``."""
        ...


def _provider(db: Any, store_id: int) -> CheckoutPayments | None:
    return get_provider(db, CheckoutPayments, platform_id=platform_id_of_store(db, store_id))


def checkout_payments(db: Any, *, store_id: int) -> CheckoutPayments:
    """The provider on the store's platform; NoCheckoutPaymentsError when there is none."""
    provider = _provider(db, store_id)
    if provider is None:
        raise NoCheckoutPaymentsError("no module provides payments to checkout")
    return provider


def method_label(db: Any, store_id: int, code: str | None, language: str) -> str:
    """A payment method's code (``bank_transfer``) in words in ``language`` (``Banküberweisung``).

    Asks the provider's optional ``method_label(db, store_id=, code=, language=)`` (which knows
    methods the store no longer offers), then the methods it offers now; the code itself when
    no provider is enabled or none knows it, ``""`` for no code."""
    if not code:
        return ""
    provider = _provider(db, store_id)
    if provider is None:
        return code
    labeller = getattr(provider, "method_label", None)
    if callable(labeller):
        label = labeller(db, store_id=store_id, code=code, language=language)
        if label:
            return str(label)
    for choice in provider.methods(db, store_id=store_id, language=language):
        if choice.code == code:
            return choice.label
    return code
