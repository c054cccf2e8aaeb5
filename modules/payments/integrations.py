"""Payments' part in the contracts other modules share: payments for checkout.

``PaymentsForCheckout`` implements ``modules.contracts.checkout_payments.CheckoutPayments`` on
top of ``payment_service`` and ``settings_service``; ``register_hooks()`` registers it
(idempotent). The module definition calls it at start-up; tests may call it directly.
"""

from __future__ import annotations

import logging
from typing import Any

from modules.contracts.checkout_payments import (
    PaymentMethodChoice,
    PaymentStartFailed,
    StartedPayment,
    register_checkout_payments,
)
from modules.payments.models import Payment
from modules.payments.services import payment_service, settings_service
from orion_server.errors import OrionError
from orion_server.i18n import t

logger = logging.getLogger(__name__)


def started(payment: Payment, language: str) -> StartedPayment:
    """A payment as checkout shows it, its instructions worded in ``language``."""
    step = payment.next_step
    return StartedPayment(
        payment_id=payment.id,
        method=payment.gateway,
        status=payment.status,
        amount_cents=payment.amount_cents,
        redirect_url=step.redirect_url if step is not None and step.kind == "redirect" else None,
        instructions=payment_service.instructions_text(step, language),
    )


class PaymentsForCheckout:
    """The store's enabled gateways as payment methods; payments started idempotently."""

    def methods(self, db: Any, *, store_id: int, language: str) -> list[PaymentMethodChoice]:
        return [
            PaymentMethodChoice(
                code=view.code,
                label=t(view.label_key, language),
                description=t(f"{view.label_key}.description", language),
            )
            for view in settings_service.enabled_gateways(db, store_id=store_id)
        ]

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
        try:
            payment = payment_service.start(
                db,
                store_id=store_id,
                gateway=method,
                amount_cents=amount_cents,
                reference=reference,
                idempotency_key=idempotency_key,
                description=description,
                return_url=return_url,
                cancel_url=cancel_url,
                customer_email=customer_email,
            )
        except OrionError as exc:
            db.rollback()
            logger.info("payment for %s could not be started: %s", reference, exc.message)
            raise PaymentStartFailed(exc.message, declined=exc.code == "payment_declined") from None
        return started(payment, language)

    def payments_for(
        self, db: Any, *, store_id: int, reference: str, language: str
    ) -> list[StartedPayment]:
        return [
            started(p, language)
            for p in payment_service.payments_for_reference(db, store_id=store_id, reference=reference)
        ]


payments_for_checkout = PaymentsForCheckout()


def register_hooks() -> None:
    """Offer payments to checkout through the contract (idempotent)."""
    register_checkout_payments(payments_for_checkout)
