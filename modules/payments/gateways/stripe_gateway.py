"""Stripe: Payment Intents through the official ``stripe`` package, confirmed in the browser.

The API base comes from ``PAYMENTS_STRIPE_API_BASE`` and is set per client, so tests point it
at a local fake. Webhooks are verified with ``stripe.Webhook.construct_event`` on the raw
body, the store's signing secret and ``PAYMENTS_WEBHOOK_TOLERANCE_SECONDS``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from modules.contracts.payment_gateway import (
    PaymentGatewayError,
    PaymentRequest,
    PaymentStart,
    RefundResult,
    WebhookEvent,
    WebhookVerificationError,
)
from modules.payments.gateways.base import SettingField, text

if TYPE_CHECKING:  # the stripe library is imported when Stripe is called, not when a server starts
    import stripe

EVENT_STATUSES = {
    "payment_intent.succeeded": "succeeded",
    "payment_intent.payment_failed": "failed",
    "payment_intent.canceled": "cancelled",
    "charge.refunded": "refunded",
}


def _config() -> Any:
    from modules.payments.config import config

    return config


def _error(exc: stripe.StripeError) -> PaymentGatewayError:
    """A gateway error carrying Stripe's message, never the request (it holds the key)."""
    import stripe

    code = getattr(exc, "code", None) or "gateway_error"
    declined = isinstance(exc, stripe.CardError)
    message = getattr(exc, "user_message", None) or str(getattr(exc, "_message", "") or "")
    return PaymentGatewayError(message or "Stripe refused the request", code=code, declined=declined)


class StripeGateway:
    """Card and wallet payments through Stripe."""

    code = "stripe"
    label_key = "payments.gateway.stripe"
    requires_staff_confirmation = False
    FIELDS = (
        SettingField("publishable_key", "payments.field.publishable_key"),
        SettingField("secret_key", "payments.field.secret_key", secret=True),
        SettingField(
            "webhook_secret",
            "payments.field.webhook_secret",
            secret=True,
            help_key="payments.field.webhook_secret_help",
        ),
    )

    def __init__(
        self,
        *,
        secret_key: str,
        publishable_key: str = "",
        webhook_secret: str = "",
        api_base: str | None = None,
        tolerance: int | None = None,
        timeout: float | None = None,
    ) -> None:
        config = _config()
        self._secret_key = secret_key
        self._publishable_key = publishable_key
        self._webhook_secret = webhook_secret
        self._api_base = api_base or config.stripe_api_base
        self._tolerance = tolerance or config.webhook_tolerance_seconds
        self._timeout = timeout or config.http_timeout_seconds

    def __repr__(self) -> str:  # never the keys
        return f"<StripeGateway api_base={self._api_base}>"

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> StripeGateway:
        return cls(
            secret_key=text(settings, "secret_key"),
            publishable_key=text(settings, "publishable_key"),
            webhook_secret=text(settings, "webhook_secret"),
        )

    @classmethod
    def check_settings(cls, settings: Mapping[str, Any]) -> dict[str, str]:
        errors: dict[str, str] = {}
        publishable = text(settings, "publishable_key")
        if publishable and not publishable.startswith("pk_"):
            errors["publishable_key"] = "payments.errors.publishable_key_invalid"
        secret = text(settings, "secret_key")
        if secret and not secret.startswith(("sk_", "rk_")):
            errors["secret_key"] = "payments.errors.secret_key_invalid"
        webhook = text(settings, "webhook_secret")
        if webhook and not webhook.startswith("whsec_"):
            errors["webhook_secret"] = "payments.errors.webhook_secret_invalid"
        return errors

    def _client(self) -> stripe.StripeClient:
        import stripe

        return stripe.StripeClient(
            self._secret_key,
            base_addresses={"api": self._api_base},
            max_network_retries=0,
            http_client=stripe.RequestsClient(timeout=self._timeout),
        )

    def start_payment(self, *, payment: PaymentRequest) -> PaymentStart:
        params: dict[str, Any] = {
            "amount": payment.amount_cents,
            "currency": payment.currency.lower(),
            "automatic_payment_methods": {"enabled": True},
            "metadata": {"reference": payment.reference},
        }
        if payment.description:
            params["description"] = payment.description[:1000]
        if payment.customer_email:
            params["receipt_email"] = payment.customer_email
        options: dict[str, Any] = {}
        if payment.idempotency_key:
            options["idempotency_key"] = payment.idempotency_key
        import stripe

        try:
            intent = self._client().v1.payment_intents.create(params=params, options=options)  # type: ignore[arg-type]
        except stripe.StripeError as exc:
            raise _error(exc) from None
        return PaymentStart(
            kind="client_secret",
            provider_payment_id=intent.id,
            client_secret=intent.client_secret,
            publishable_key=self._publishable_key or None,
        )

    def handle_webhook(self, *, headers: Mapping[str, str], raw_body: bytes) -> WebhookEvent | None:
        signature = _header(headers, "stripe-signature")
        if not signature or not self._webhook_secret:
            raise WebhookVerificationError("missing signature or signing secret")
        import stripe

        try:
            event = stripe.Webhook.construct_event(
                raw_body, signature, self._webhook_secret, tolerance=self._tolerance
            )
        except (stripe.SignatureVerificationError, ValueError) as exc:
            raise WebhookVerificationError(str(exc)) from None
        status = EVENT_STATUSES.get(event.type)
        if status is None:
            return None
        obj = event.data.object
        if event.type == "charge.refunded":
            return WebhookEvent(
                event_id=event.id,
                event_type=event.type,
                provider_payment_id=_field(obj, "payment_intent"),
                status=status,
                amount_cents=_field(obj, "amount_refunded"),
            )
        failure = ""
        last_error = _field(obj, "last_payment_error")
        if last_error:
            failure = str(_field(last_error, "message") or _field(last_error, "code") or "")
        return WebhookEvent(
            event_id=event.id,
            event_type=event.type,
            provider_payment_id=_field(obj, "id"),
            status=status,
            amount_cents=_field(obj, "amount_received"),
            failure_message=failure[:500],
        )

    def refund(self, *, provider_payment_id: str, amount_cents: int, idempotency_key: str = "") -> RefundResult:
        import stripe

        options = {"idempotency_key": idempotency_key} if idempotency_key else {}
        try:
            refund = self._client().v1.refunds.create(
                params={"payment_intent": provider_payment_id, "amount": amount_cents},
                options=options,  # type: ignore[arg-type]
            )
        except stripe.StripeError as exc:
            raise _error(exc) from None
        ok = refund.status in ("succeeded", "pending")
        return RefundResult(
            ok=ok,
            provider_refund_id=refund.id,
            amount_cents=int(refund.amount or amount_cents),
            message="" if ok else str(getattr(refund, "failure_reason", "") or refund.status),
        )


def _header(headers: Mapping[str, str], name: str) -> str:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return ""


def _field(obj: Any, name: str) -> Any:
    if obj is None:
        return None
    if isinstance(obj, Mapping):
        return obj.get(name)
    return getattr(obj, name, None)
