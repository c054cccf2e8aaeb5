"""A small local server speaking the few Stripe and PayPal endpoints payments calls.

It listens on 127.0.0.1 (a free port), answers like the providers (form-encoded Stripe
requests with bearer keys and idempotency keys; PayPal's OAuth, Orders v2 and webhook
verification) and records every request so tests can check what was sent. Knobs make it
decline cards, refuse keys or fail captures.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

STRIPE_SECRET_KEY = "sk_test_fake_4eC39HqLyjWDarjtT1zdp7dc"
STRIPE_WEBHOOK_SECRET = "whsec_test_fake_secret_1234567890"
PAYPAL_CLIENT_ID = "paypal-client-id"
PAYPAL_CLIENT_SECRET = "paypal-client-secret-very-private"
PAYPAL_WEBHOOK_ID = "WH-FAKE-1"
PAYPAL_SIGNING_KEY = b"paypal-fake-signing-key"


def stripe_signature(payload: bytes, secret: str = STRIPE_WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """A ``Stripe-Signature`` header built the documented way: ``t=..,v1=HMAC(secret, "t.payload")``."""
    t = int(time.time()) if timestamp is None else timestamp
    signed = f"{t}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={t},v1={digest}"


def _paypal_sig(transmission_id: str, transmission_time: str, webhook_id: str, event: Any) -> str:
    message = f"{transmission_id}|{transmission_time}|{webhook_id}|{json.dumps(event, sort_keys=True)}"
    return base64.b64encode(hmac.new(PAYPAL_SIGNING_KEY, message.encode(), hashlib.sha256).digest()).decode()


def paypal_headers(event: dict[str, Any], *, transmission_time: str | None = None,
                   webhook_id: str = PAYPAL_WEBHOOK_ID) -> dict[str, str]:
    """The PAYPAL-* headers of a webhook the fake will confirm as genuine."""
    sent = transmission_time or time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    transmission_id = f"tx-{event.get('id')}"
    return {
        "PAYPAL-AUTH-ALGO": "SHA256withRSA",
        "PAYPAL-CERT-URL": "https://api.paypal.com/v1/notifications/certs/CERT-fake",
        "PAYPAL-TRANSMISSION-ID": transmission_id,
        "PAYPAL-TRANSMISSION-SIG": _paypal_sig(transmission_id, sent, webhook_id, event),
        "PAYPAL-TRANSMISSION-TIME": sent,
        "Content-Type": "application/json",
    }


@dataclass
class Recorded:
    """One request the fake received."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body.decode()).items()}

    def json(self) -> Any:
        return json.loads(self.body or b"{}")


@dataclass
class FakeProviders:
    """The state behind the server: knobs, records, and what was created."""

    url: str = ""
    requests: list[Recorded] = field(default_factory=list)
    stripe_decline: bool = False
    paypal_decline_capture: bool = False
    paypal_capture_status: str = "COMPLETED"
    """What a capture answers: COMPLETED, or PENDING (an eCheck, a review at PayPal)."""
    paypal_unapproved: set[str] = field(default_factory=set)
    """Orders the payer has not approved yet: capturing them is refused like PayPal does."""
    intents: dict[str, dict[str, Any]] = field(default_factory=dict)
    orders: dict[str, dict[str, Any]] = field(default_factory=dict)
    refunds: list[int] = field(default_factory=list)
    """The amounts really refunded (a replayed idempotency key adds none)."""
    during_refund: Any = None
    """Called while Stripe handles a refund (what else can happen meanwhile)."""
    _idempotent: dict[tuple[str, str], tuple[int, Any]] = field(default_factory=dict)
    _ids: Any = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def calls(self, path_start: str) -> list[Recorded]:
        """The requests whose path starts with ``path_start``."""
        return [r for r in self.requests if r.path.startswith(path_start)]

    # -- Stripe ------------------------------------------------------------------------------

    def _stripe_error(self, status: int, kind: str, message: str, code: str = "") -> tuple[int, Any]:
        error: dict[str, Any] = {"type": kind, "message": message}
        if code:
            error["code"] = code
        if kind == "card_error":
            error["decline_code"] = "generic_decline"
        return status, {"error": error}

    def stripe(self, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, Any]:
        if headers.get("authorization") != f"Bearer {STRIPE_SECRET_KEY}":
            return self._stripe_error(401, "invalid_request_error", "Invalid API Key provided: sk_****")
        form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
        if method == "POST" and path == "/v1/payment_intents":
            key = headers.get("idempotency-key")
            if key and ("stripe", key) in self._idempotent:
                return self._idempotent[("stripe", key)]
            result = self._create_intent(form)
            if key:
                self._idempotent[("stripe", key)] = result
            return result
        if method == "POST" and path == "/v1/refunds":
            intent = self.intents.get(form.get("payment_intent", ""))
            if intent is None:
                return self._stripe_error(404, "invalid_request_error", "No such payment_intent", "resource_missing")
            key = headers.get("idempotency-key")
            if key and ("stripe", key) in self._idempotent:
                return self._idempotent[("stripe", key)]
            if self.during_refund is not None:
                self.during_refund()
            n = next(self._ids)
            self.refunds.append(int(form.get("amount") or intent["amount"]))
            result = (200, {"id": f"re_{n}", "object": "refund", "status": "succeeded",
                            "amount": int(form.get("amount") or intent["amount"]),
                            "payment_intent": intent["id"], "currency": "eur"})
            if key:
                self._idempotent[("stripe", key)] = result
            return result
        return self._stripe_error(404, "invalid_request_error", f"Unrecognized request URL ({method}: {path})")

    def _create_intent(self, form: dict[str, str]) -> tuple[int, Any]:
        amount = int(form.get("amount") or 0)
        if amount < 50:
            return self._stripe_error(400, "invalid_request_error",
                                      "Amount must be at least €0.50 eur", "amount_too_small")
        if self.stripe_decline:
            return self._stripe_error(402, "card_error", "Your card was declined.", "card_declined")
        n = next(self._ids)
        intent = {
            "id": f"pi_fake{n}", "object": "payment_intent", "amount": amount,
            "currency": form.get("currency"), "status": "requires_payment_method",
            "client_secret": f"pi_fake{n}_secret_abc", "metadata": {"reference": form.get("metadata[reference]")},
        }
        self.intents[intent["id"]] = intent
        return 200, intent

    # -- PayPal ------------------------------------------------------------------------------

    def paypal(self, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, Any]:
        if path == "/v1/oauth2/token":
            expected = "Basic " + base64.b64encode(f"{PAYPAL_CLIENT_ID}:{PAYPAL_CLIENT_SECRET}".encode()).decode()
            if headers.get("authorization") != expected:
                return 401, {"error": "invalid_client", "error_description": "Client Authentication failed"}
            return 200, {"access_token": "A21-fake-token", "token_type": "Bearer", "expires_in": 32400}
        if headers.get("authorization") != "Bearer A21-fake-token":
            return 401, {"name": "AUTHENTICATION_FAILURE", "message": "Authentication failed"}
        data = json.loads(body or b"{}")
        if method == "POST" and path == "/v2/checkout/orders":
            key = headers.get("paypal-request-id")
            if key and ("paypal", key) in self._idempotent:
                return self._idempotent[("paypal", key)]
            unit = data["purchase_units"][0]
            n = next(self._ids)
            order = {"id": f"ORDER-{n}", "status": "PAYER_ACTION_REQUIRED", "amount": unit["amount"],
                     "links": [{"rel": "payer-action", "method": "GET",
                                "href": f"https://www.paypal.com/checkoutnow?token=ORDER-{n}"}]}
            self.orders[order["id"]] = order
            result = (200, order)
            if key:
                self._idempotent[("paypal", key)] = result
            return result
        if method == "POST" and path.startswith("/v2/checkout/orders/") and path.endswith("/capture"):
            order = self.orders.get(path.split("/")[4])
            if order is None:
                return 404, {"name": "RESOURCE_NOT_FOUND", "details": [{"issue": "INVALID_RESOURCE_ID"}]}
            if order["id"] in self.paypal_unapproved:
                return 422, {"name": "UNPROCESSABLE_ENTITY", "details": [{
                    "issue": "ORDER_NOT_APPROVED", "description": "Payer has not yet approved the Order."}]}
            if self.paypal_decline_capture:
                return 422, {"name": "UNPROCESSABLE_ENTITY", "details": [{
                    "issue": "INSTRUMENT_DECLINED",
                    "description": "The instrument presented was either declined by the processor or bank."}]}
            order["status"] = "COMPLETED"
            capture = {"id": f"CAP-{order['id']}", "status": self.paypal_capture_status, "amount": order["amount"]}
            return 201, {"id": order["id"], "status": "COMPLETED",
                         "purchase_units": [{"payments": {"captures": [capture]}}]}
        if method == "POST" and path.startswith("/v2/payments/captures/") and path.endswith("/refund"):
            n = next(self._ids)
            return 201, {"id": f"REF-{n}", "status": "COMPLETED"}
        if method == "POST" and path == "/v1/notifications/verify-webhook-signature":
            expected = _paypal_sig(data.get("transmission_id", ""), data.get("transmission_time", ""),
                                   data.get("webhook_id", ""), data.get("webhook_event"))
            genuine = hmac.compare_digest(expected, data.get("transmission_sig", ""))
            return 200, {"verification_status": "SUCCESS" if genuine else "FAILURE"}
        return 404, {"name": "RESOURCE_NOT_FOUND", "message": f"{method} {path}"}

    def answer(self, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, Any]:
        with self._lock:
            self.requests.append(Recorded(method, path, headers, body))
            if path.startswith(("/v1/payment_intents", "/v1/refunds")):
                return self.stripe(method, path, headers, body)
            return self.paypal(method, path, headers, body)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        status, payload = self.server.fake.answer("POST", self.path.split("?")[0], headers, body)
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Request-Id", "req_fake")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeProviders


def start_fake() -> tuple[FakeProviders, _Server]:
    """Start the fake on a free port of 127.0.0.1 in a background thread."""
    fake = FakeProviders()
    server = _Server(("127.0.0.1", 0), _Handler)
    server.fake = fake
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, name="fake-providers", daemon=True).start()
    return fake, server
