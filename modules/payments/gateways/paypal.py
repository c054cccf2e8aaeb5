"""PayPal: Orders v2 over HTTPS with httpx (OAuth token, create order, capture, refund).

The payer approves the order on PayPal's page (``redirect``); the order is then captured,
either when PayPal's ``CHECKOUT.ORDER.APPROVED`` webhook arrives or when the shop calls
``capture``. Webhooks are verified by PayPal's verify-webhook-signature endpoint with the
store's webhook id; a transmission time older than the tolerance is refused before asking.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
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

if TYPE_CHECKING:  # httpx is imported when PayPal is called, not when a server starts
    import httpx

SIGNATURE_HEADERS = {
    "auth_algo": "paypal-auth-algo",
    "cert_url": "paypal-cert-url",
    "transmission_id": "paypal-transmission-id",
    "transmission_sig": "paypal-transmission-sig",
    "transmission_time": "paypal-transmission-time",
}
EVENT_STATUSES = {
    "CHECKOUT.ORDER.APPROVED": "approved",
    "PAYMENT.CAPTURE.COMPLETED": "succeeded",
    "PAYMENT.CAPTURE.DENIED": "failed",
    "PAYMENT.CAPTURE.DECLINED": "failed",
}


def _config() -> Any:
    from modules.payments.config import config

    return config


def _amount(cents: int, currency: str) -> dict[str, str]:
    return {"currency_code": currency.upper(), "value": f"{cents // 100}.{cents % 100:02d}"}


def _request_id(key: str) -> str:
    """PayPal-Request-Id takes at most 108 characters: longer keys are hashed, never cut."""
    return key if len(key) <= 108 else hashlib.sha256(key.encode()).hexdigest()


def _cents(value: str | None) -> int | None:
    if not value:
        return None
    whole, _, fraction = str(value).partition(".")
    return int(whole) * 100 + int((fraction + "00")[:2])


class PayPalGateway:
    """PayPal checkout: the payer approves on PayPal, the shop captures."""

    code = "paypal"
    label_key = "payments.gateway.paypal"
    requires_staff_confirmation = False
    FIELDS = (
        SettingField("client_id", "payments.field.client_id"),
        SettingField("client_secret", "payments.field.client_secret", secret=True),
        SettingField(
            "webhook_id",
            "payments.field.webhook_id",
            required=True,  # without it no webhook verifies: approvals and refunds would be lost
            help_key="payments.field.webhook_id_help",
        ),
    )

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        webhook_id: str = "",
        api_base: str | None = None,
        tolerance: int | None = None,
        timeout: float | None = None,
    ) -> None:
        config = _config()
        self._client_id = client_id
        self._client_secret = client_secret
        self._webhook_id = webhook_id
        self._api_base = api_base or config.paypal_api_base
        self._tolerance = tolerance or config.webhook_tolerance_seconds
        self._timeout = timeout or config.http_timeout_seconds

    def __repr__(self) -> str:  # never the keys
        return f"<PayPalGateway api_base={self._api_base}>"

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> PayPalGateway:
        return cls(
            client_id=text(settings, "client_id"),
            client_secret=text(settings, "client_secret"),
            webhook_id=text(settings, "webhook_id"),
        )

    @classmethod
    def check_settings(cls, settings: Mapping[str, Any]) -> dict[str, str]:
        return {}

    # -- HTTP -------------------------------------------------------------------------------

    def _call(
        self, http: httpx.Client, method: str, path: str, *, token: str, **kwargs: Any
    ) -> dict[str, Any]:
        import httpx

        headers = {"Authorization": f"Bearer {token}", **kwargs.pop("headers", {})}
        try:
            response = http.request(method, self._api_base + path, headers=headers, **kwargs)
        except httpx.HTTPError:
            raise PaymentGatewayError("PayPal could not be reached", code="unreachable") from None
        return self._read(response)

    @staticmethod
    def _read(response: httpx.Response) -> dict[str, Any]:
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code >= 400:
            details = body.get("details") or [{}]
            issue = str(details[0].get("issue") or body.get("name") or body.get("error") or "")
            message = str(
                details[0].get("description")
                or body.get("message")
                or body.get("error_description")
                or f"PayPal answered {response.status_code}"
            )
            declined = issue in {"INSTRUMENT_DECLINED", "PAYER_ACTION_REQUIRED", "TRANSACTION_REFUSED"}
            raise PaymentGatewayError(message[:500], code=issue or "gateway_error", declined=declined)
        return body if isinstance(body, dict) else {}

    def _token(self, http: httpx.Client) -> str:
        import httpx

        try:
            response = http.post(
                self._api_base + "/v1/oauth2/token",
                data={"grant_type": "client_credentials"},
                auth=(self._client_id, self._client_secret),
                headers={"Accept": "application/json"},
            )
        except httpx.HTTPError:
            raise PaymentGatewayError("PayPal could not be reached", code="unreachable") from None
        body = self._read(response)
        token = body.get("access_token")
        if not token:
            raise PaymentGatewayError("PayPal gave no access token", code="auth_failed")
        return str(token)

    def _http(self) -> httpx.Client:
        import httpx

        return httpx.Client(timeout=self._timeout)

    # -- the protocol -----------------------------------------------------------------------

    def start_payment(self, *, payment: PaymentRequest) -> PaymentStart:
        unit: dict[str, Any] = {
            "reference_id": payment.reference[:256],
            "custom_id": payment.reference[:127],
            "amount": _amount(payment.amount_cents, payment.currency),
        }
        if payment.description:
            unit["description"] = payment.description[:127]
        context: dict[str, Any] = {"user_action": "PAY_NOW"}
        if payment.return_url:
            context["return_url"] = payment.return_url
        if payment.cancel_url:
            context["cancel_url"] = payment.cancel_url
        source: dict[str, Any] = {"experience_context": context}
        if payment.customer_email:
            source["email_address"] = payment.customer_email
        body = {
            "intent": "CAPTURE",
            "purchase_units": [unit],
            "payment_source": {"paypal": source},
        }
        headers = {"Prefer": "return=representation"}
        if payment.idempotency_key:
            headers["PayPal-Request-Id"] = _request_id(payment.idempotency_key)
        with self._http() as http:
            token = self._token(http)
            order = self._call(
                http, "POST", "/v2/checkout/orders", token=token, json=body, headers=headers
            )
        approve = next(
            (
                link.get("href")
                for link in order.get("links", [])
                if link.get("rel") in ("payer-action", "approve")
            ),
            None,
        )
        if not order.get("id") or not approve:
            raise PaymentGatewayError("PayPal gave no approval link", code="gateway_error")
        return PaymentStart(kind="redirect", provider_payment_id=order["id"], redirect_url=approve)

    def capture(self, *, provider_payment_id: str) -> WebhookEvent:
        """Capture an approved order; the result reads like the capture's webhook."""
        with self._http() as http:
            token = self._token(http)
            order = self._call(
                http,
                "POST",
                f"/v2/checkout/orders/{provider_payment_id}/capture",
                token=token,
                json={},
                headers={
                    "Prefer": "return=representation",
                    "PayPal-Request-Id": _request_id(f"capture-{provider_payment_id}"),
                },
            )
        captures = [
            capture
            for unit in order.get("purchase_units", [])
            for capture in (unit.get("payments") or {}).get("captures", [])
        ]
        capture = captures[0] if captures else {}
        completed = order.get("status") == "COMPLETED" and capture.get("status") == "COMPLETED"
        # A PENDING capture (an eCheck, a review at PayPal) is not money yet: the payment stays
        # pending until PAYMENT.CAPTURE.COMPLETED, or fails on PAYMENT.CAPTURE.DENIED.
        waiting = order.get("status") == "COMPLETED" and capture.get("status") == "PENDING"
        return WebhookEvent(
            event_id=f"capture-{provider_payment_id}",
            event_type="CAPTURE",
            provider_payment_id=provider_payment_id,
            status="succeeded" if completed else "pending" if waiting else "failed",
            amount_cents=_cents((capture.get("amount") or {}).get("value")),
            provider_capture_id=capture.get("id"),
            failure_message="" if completed or waiting else f"capture {capture.get('status', 'failed')}",
        )

    @staticmethod
    def referenced_payment(raw_body: bytes) -> str | None:
        """The PayPal order an (unverified) event is about, read without asking PayPal: an
        event about no payment of the store is ignored before the two calls verification costs."""
        try:
            event = json.loads(raw_body)
        except ValueError:
            return None
        if not isinstance(event, dict) or not isinstance(event.get("resource"), dict):
            return None
        resource = event["resource"]
        if event.get("event_type") == "CHECKOUT.ORDER.APPROVED":
            found = resource.get("id")
        else:
            related = (resource.get("supplementary_data") or {}).get("related_ids") or {}
            found = related.get("order_id") if isinstance(related, dict) else None
        return found if isinstance(found, str) and 0 < len(found) <= 100 else None

    def handle_webhook(self, *, headers: Mapping[str, str], raw_body: bytes) -> WebhookEvent | None:
        lowered = {k.lower(): v for k, v in headers.items()}
        values = {name: lowered.get(header, "") for name, header in SIGNATURE_HEADERS.items()}
        if not all(values.values()) or not self._webhook_id:
            raise WebhookVerificationError("missing PayPal signature headers or webhook id")
        try:
            sent = datetime.fromisoformat(values["transmission_time"].replace("Z", "+00:00"))
        except ValueError:
            raise WebhookVerificationError("unreadable transmission time") from None
        if sent.tzinfo is None:
            sent = sent.replace(tzinfo=UTC)
        if abs((datetime.now(UTC) - sent).total_seconds()) > self._tolerance:
            raise WebhookVerificationError("webhook too old")
        try:
            event = json.loads(raw_body)
        except ValueError:
            raise WebhookVerificationError("body is not JSON") from None
        if not isinstance(event, dict):
            raise WebhookVerificationError("body is not an event")
        with self._http() as http:
            token = self._token(http)
            answer = self._call(
                http,
                "POST",
                "/v1/notifications/verify-webhook-signature",
                token=token,
                json={**values, "webhook_id": self._webhook_id, "webhook_event": event},
            )
        if answer.get("verification_status") != "SUCCESS":
            raise WebhookVerificationError("PayPal did not confirm the signature")
        status = EVENT_STATUSES.get(str(event.get("event_type")))
        if status is None:
            return None
        resource = event.get("resource") or {}
        if event["event_type"] == "CHECKOUT.ORDER.APPROVED":
            order_id, capture_id = resource.get("id"), None
        else:
            related = (resource.get("supplementary_data") or {}).get("related_ids") or {}
            order_id, capture_id = related.get("order_id"), resource.get("id")
        return WebhookEvent(
            event_id=str(event.get("id") or ""),
            event_type=str(event["event_type"]),
            provider_payment_id=order_id,
            status=status,
            amount_cents=_cents((resource.get("amount") or {}).get("value")),
            provider_capture_id=capture_id,
        )

    def refund(self, *, provider_payment_id: str, amount_cents: int, idempotency_key: str = "") -> RefundResult:
        """Refund against a capture id (payments passes the capture it recorded)."""
        headers = {"PayPal-Request-Id": _request_id(idempotency_key)} if idempotency_key else {}
        with self._http() as http:
            token = self._token(http)
            refund = self._call(
                http,
                "POST",
                f"/v2/payments/captures/{provider_payment_id}/refund",
                token=token,
                json={"amount": _amount(amount_cents, "EUR")},
                headers=headers,
            )
        ok = refund.get("status") in ("COMPLETED", "PENDING")
        return RefundResult(
            ok=ok,
            provider_refund_id=refund.get("id"),
            amount_cents=amount_cents,
            message="" if ok else str(refund.get("status") or "refused"),
        )
