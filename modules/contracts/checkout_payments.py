"""How checkout offers payment methods and starts a payment without importing payments.

The payments module implements ``CheckoutPayments`` and registers it at start-up; checkout asks
``checkout_payments()`` for it::

    from modules.contracts.checkout_payments import checkout_payments

    methods = checkout_payments().methods(db, store_id=store.id, language="fr")

Texts in the answers (labels, instructions) are already in the shopper's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable


class NoCheckoutPaymentsError(RuntimeError):
    """No module provides payments to checkout (the payments module is not loaded)."""


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


_registered: list[CheckoutPayments] = []


def register_checkout_payments(provider: CheckoutPayments) -> CheckoutPayments:
    """Make ``provider`` the one checkout uses; registering the same object again is a no-op."""
    if not any(existing is provider for existing in _registered):
        _registered.append(provider)
    return provider


def unregister_checkout_payments(provider: CheckoutPayments) -> None:
    """Stop using ``provider`` (tests that stand in for the provider)."""
    _registered[:] = [p for p in _registered if p is not provider]


def checkout_payments() -> CheckoutPayments:
    """The registered provider (the last one registered); NoCheckoutPaymentsError when none."""
    if not _registered:
        raise NoCheckoutPaymentsError("no module provides payments to checkout")
    return _registered[-1]


def method_label(db: Any, store_id: int, code: str | None, language: str) -> str:
    """A payment method's code (``bank_transfer``) in words in ``language`` (``Banküberweisung``).

    Asks the provider's optional ``method_label(db, store_id=, code=, language=)`` (which knows
    methods the store no longer offers), then the methods it offers now; the code itself when
    no provider is registered or none knows it, ``""`` for no code."""
    if not code:
        return ""
    if not _registered:
        return code
    provider = _registered[-1]
    labeller = getattr(provider, "method_label", None)
    if callable(labeller):
        label = labeller(db, store_id=store_id, code=code, language=language)
        if label:
            return str(label)
    for choice in provider.methods(db, store_id=store_id, language=language):
        if choice.code == code:
            return choice.label
    return code
