"""What payments provides to other modules: ``PaymentsForCheckout`` implements
``modules.contracts.checkout_payments.CheckoutPayments`` on top of ``payment_service`` and
``settings_service``, ``PaymentsForPlatform`` implements
``modules.contracts.subscription_payments.PlatformPayments`` on top of ``payment_service`` and
``platform_settings_service`` (declared in the definition's ``provides``)."""

from __future__ import annotations

import logging
from typing import Any

from modules.contracts.checkout_payments import (
    PaymentMethodChoice,
    PaymentStartFailed,
    StartedPayment,
)
from modules.contracts.subscription_payments import SubscriptionPayment
from modules.payments.gateways import GATEWAYS
from modules.payments.models import Payment
from modules.payments.services import payment_service, platform_settings_service, settings_service
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

    def method_label(self, db: Any, *, store_id: int, code: str, language: str) -> str | None:
        """The gateway's name in ``language``, whether or not the store still offers it."""
        if code not in GATEWAYS:
            return None
        return t(f"payments.gateway.{code}", language)

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

    def settle_returned(
        self, db: Any, *, store_id: int, reference: str, language: str
    ) -> list[StartedPayment]:
        for payment in payment_service.payments_for_reference(db, store_id=store_id, reference=reference):
            if payment.status != "pending" or not payment.provider_payment_id:
                continue
            if not hasattr(GATEWAYS.get(payment.gateway), "capture"):
                continue
            try:
                payment_service.capture(db, store_id=store_id, payment_id=payment.id)
            except OrionError as exc:  # not approved (yet), or the provider is away: the webhook settles it
                db.rollback()
                logger.info("payment %s not captured on return: %s", payment.id, exc.message)
        return self.payments_for(db, store_id=store_id, reference=reference, language=language)

    def payments_for(
        self, db: Any, *, store_id: int, reference: str, language: str
    ) -> list[StartedPayment]:
        return [
            started(p, language)
            for p in payment_service.payments_for_reference(db, store_id=store_id, reference=reference)
        ]


def subscription_payment(payment: Payment) -> SubscriptionPayment:
    """A payment to the platform as billing shows it (the next step only while it is open)."""
    step = payment.next_step if payment.status in ("created", "pending") else None
    return SubscriptionPayment(
        payment_id=payment.id,
        method=payment.gateway,
        status=payment.status,
        amount_cents=payment.amount_cents,
        currency=payment.currency,
        kind=step.kind if step is not None else "",
        redirect_url=step.redirect_url if step is not None else None,
        client_secret=step.client_secret if step is not None else None,
        publishable_key=step.publishable_key if step is not None else None,
    )


class PaymentsForPlatform:
    """The platform's own enabled card accounts; stores' subscription payments started through
    them idempotently, recorded as payments to the platform."""

    def methods(self, db: Any, *, platform_id: int, language: str) -> list[PaymentMethodChoice]:
        return [
            PaymentMethodChoice(code=view.code, label=t(view.label_key, language),
                                description=t(f"{view.label_key}.description", language))
            for view in platform_settings_service.enabled_gateways(db, platform_id=platform_id)
        ]

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
        try:
            payment = payment_service.start(
                db, store_id=store_id, platform_id=platform_id, gateway=method, amount_cents=amount_cents,
                currency=currency, reference=reference, idempotency_key=idempotency_key,
                description=description, return_url=return_url, cancel_url=cancel_url,
                customer_email=customer_email,
            )
        except OrionError as exc:
            db.rollback()
            logger.info("subscription payment for %s could not be started: %s", reference, exc.message)
            raise PaymentStartFailed(t("payments.platform.start_failed", language),
                                     declined=exc.code == "payment_declined") from None
        return subscription_payment(payment)

    def payments_for(self, db: Any, *, platform_id: int, store_id: int, reference: str) -> list[SubscriptionPayment]:
        return [
            subscription_payment(p)
            for p in payment_service.platform_payments_for(
                db, platform_id=platform_id, store_id=store_id, reference=reference)
        ]
