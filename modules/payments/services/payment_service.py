"""Payments: starting them idempotently, applying provider webhooks once, staff confirmation of
offline payments, captures and refunds. Every change to succeeded, failed or refunded is
announced as ``PaymentStatusChanged`` (``modules.contracts.events``) in its transaction, once.

Provider calls are made outside the database's write lock where they can be (start, capture),
so a slow provider never holds up the shop's other writers; the providers' own idempotency keys
make a repeated call harmless.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from modules.contracts.events import PaymentStatusChanged
from modules.contracts.payment_gateway import (
    EVENT_STATUSES,
    PaymentGatewayError,
    PaymentRequest,
    PaymentStart,
    WebhookEvent,
    WebhooksNotSupported,
    WebhookVerificationError,
)
from modules.payments.exceptions import (
    GatewayFailedError,
    PaymentDeclinedError,
    WebhookRejectedError,
)
from modules.payments.gateways import GATEWAYS
from modules.payments.models import PAYMENT_STATUSES, Payment, PaymentEventSeen
from modules.payments.services.settings_service import platform_settings_service, settings_service
from orion_server.database import begin_write, utcnow
from orion_server.errors import ConflictError, NotFoundError, ValidationError
from orion_server.events import emit
from orion_server.i18n import format_money, t
from orion_server.pagination import Page, clamp_page
from orion_server.tenants import platform_id_of_store

logger = logging.getLogger(__name__)

MAX_AMOUNT_CENTS = 100_000_000
CURRENCY_PATTERN = re.compile(r"^[A-Z]{3}$")
PER_PAGE = 25
ALLOWED_FROM = {
    "pending": {"created"},
    "succeeded": {"created", "pending", "failed"},
    "failed": {"created", "pending"},
    "cancelled": {"created", "pending", "failed"},
    "refunded": {"succeeded"},
}
"""For each status, the statuses a payment may reach it from."""


def status_changed(db: Session, payment: Payment) -> PaymentStatusChanged:
    """The announcement of ``payment``'s new status."""
    return PaymentStatusChanged(
        platform_id=payment.platform_id or platform_id_of_store(db, payment.store_id),
        store_id=payment.store_id,
        payment_id=payment.id,
        reference=payment.reference,
        gateway=payment.gateway,
        amount_cents=payment.amount_cents,
        currency=payment.currency,
        status=payment.status,
        provider_payment_id=payment.provider_payment_id,
        refunded_cents=payment.refunded_cents,
        purpose=payment.purpose,
    )


@dataclass(frozen=True)
class WebhookOutcome:
    """What a webhook did: ``changed`` the payment, was a ``duplicate``, or was ignored."""

    event_id: str | None = None
    payment_id: int | None = None
    changed: bool = False
    duplicate: bool = False


class PaymentPage(Page[Payment]):
    """One page of a store's payments."""


class PaymentService:
    """Business rules of payments."""

    # -- reading ----------------------------------------------------------------------------

    def get_payment(self, db: Session, *, store_id: int, payment_id: int) -> Payment:
        """One of the store's payments; other stores' payments, and the store's payments to the
        platform (its subscription), look like they do not exist."""
        payment = db.get(Payment, payment_id)
        if payment is None or payment.store_id != store_id or payment.platform_id is not None:
            raise NotFoundError(f"no payment {payment_id}")
        return payment

    def payments_for_reference(self, db: Session, *, store_id: int, reference: str) -> list[Payment]:
        """The store's payments for a reference (an order number), oldest first."""
        return list(
            db.scalars(
                select(Payment)
                .where(Payment.store_id == store_id, Payment.reference == reference, Payment.platform_id.is_(None))
                .order_by(Payment.id)
            )
        )

    def list_payments(
        self,
        db: Session,
        *,
        store_id: int,
        page: int = 1,
        per_page: int = PER_PAGE,
        status: str | None = None,
    ) -> PaymentPage:
        """The store's payments, newest first, ``per_page`` at a time."""
        query = select(Payment).where(Payment.store_id == store_id, Payment.platform_id.is_(None))
        if status:
            if status not in PAYMENT_STATUSES:
                raise ValidationError("unknown status", field="status")
            query = query.where(Payment.status == status)
        total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
        page = clamp_page(page, total, per_page)
        items = list(
            db.scalars(
                query.order_by(Payment.created_at.desc(), Payment.id.desc())
                .limit(per_page)
                .offset((page - 1) * per_page)
            )
        )
        return PaymentPage(items=items, total=total, page=page, per_page=per_page)

    @staticmethod
    def instructions_text(start: PaymentStart | None, language: str) -> str:
        """An offline payment's instructions as a sentence in ``language`` ('' otherwise)."""
        if start is None or start.kind != "offline" or not start.instructions.get("key"):
            return ""
        values = {k: v for k, v in start.instructions.items() if k != "key"}
        values["amount"] = format_money(
            int(values.get("amount_cents") or 0), language, str(values.get("currency") or "EUR")
        )
        return t(str(start.instructions["key"]), language, **values)

    # -- starting ---------------------------------------------------------------------------

    @staticmethod
    def _clean_start(
        *, amount_cents: Any, reference: str, currency: str, idempotency_key: str
    ) -> tuple[int, str, str, str]:
        if isinstance(amount_cents, bool) or not isinstance(amount_cents, int):
            raise ValidationError("the amount must be a whole number of cents", field="amount_cents")
        if not 0 < amount_cents <= MAX_AMOUNT_CENTS:
            raise ValidationError("the amount must be above zero", field="amount_cents")
        reference = (reference or "").strip()
        if not reference or len(reference) > 64:
            raise ValidationError("give a reference of 1 to 64 characters", field="reference")
        currency = (currency or "").strip().upper()
        if not CURRENCY_PATTERN.match(currency):
            raise ValidationError("give a three-letter currency code", field="currency")
        key = (idempotency_key or "").strip()
        if not key or len(key) > 200:
            raise ValidationError("give an idempotency key of 1 to 200 characters", field="idempotency_key")
        return amount_cents, reference, currency, key

    def _by_key(self, db: Session, store_id: int, key: str) -> Payment | None:
        return db.scalar(
            select(Payment)
            .where(Payment.store_id == store_id, Payment.idempotency_key == key)
            .execution_options(populate_existing=True)
        )

    @staticmethod
    def _same_request(payment: Payment, *, gateway: str, amount_cents: int, reference: str,
                      platform_id: int | None = None) -> None:
        if (payment.gateway, payment.amount_cents, payment.reference, payment.platform_id) != (
                gateway, amount_cents, reference, platform_id):
            raise ConflictError(
                "this idempotency key was already used for another payment", field="idempotency_key"
            )

    def _claim(self, db: Session, *, store_id: int, gateway: str, amount_cents: int,
               currency: str, reference: str, key: str, platform_id: int | None = None) -> Payment:
        """The store's payment for ``key``: the existing one, or a new one in ``created``."""
        begin_write(db)
        existing = self._by_key(db, store_id, key)
        if existing is not None:
            db.commit()
            self._same_request(existing, gateway=gateway, amount_cents=amount_cents, reference=reference,
                               platform_id=platform_id)
            return existing
        payment = Payment(
            store_id=store_id,
            platform_id=platform_id,
            gateway=gateway,
            amount_cents=amount_cents,
            currency=currency,
            reference=reference,
            idempotency_key=key,
            status="created",
            refunded_cents=0,
            failure_message="",
        )
        db.add(payment)
        try:
            db.commit()
        except IntegrityError:  # another request claimed the key first (PostgreSQL)
            db.rollback()
            existing = self._by_key(db, store_id, key)
            if existing is None:
                raise
            self._same_request(existing, gateway=gateway, amount_cents=amount_cents, reference=reference,
                               platform_id=platform_id)
            return existing
        return payment

    def _lock(self, db: Session, payment_id: int) -> Payment:
        """The payment re-read inside a write transaction (row-locked on PostgreSQL)."""
        begin_write(db)
        payment = db.scalar(
            select(Payment)
            .where(Payment.id == payment_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        if payment is None:
            raise NotFoundError(f"no payment {payment_id}")
        return payment

    def start(
        self,
        db: Session,
        *,
        store_id: int,
        gateway: str,
        amount_cents: int,
        reference: str,
        idempotency_key: str,
        currency: str = "EUR",
        description: str = "",
        return_url: str = "",
        cancel_url: str = "",
        customer_email: str = "",
        platform_id: int | None = None,
    ) -> Payment:
        """Start paying ``amount_cents`` for ``reference`` with the store's ``gateway`` (with
        ``platform_id``: the store pays the platform, through the platform's own account).

        Idempotent: the same ``idempotency_key`` returns the same payment (also when two
        requests race), reusing the key with other details is a ConflictError. The payment's
        ``next_step`` says what the payer does next. Raises PaymentDeclinedError when the
        provider refuses the payer's means of payment, GatewayFailedError when it refuses us.
        """
        amount_cents, reference, currency, key = self._clean_start(
            amount_cents=amount_cents, reference=reference, currency=currency, idempotency_key=idempotency_key or ""
        )
        if platform_id is None:
            gw = settings_service.gateway_for(db, store_id=store_id, code=gateway)
        else:
            gw = platform_settings_service.gateway_for(db, platform_id=platform_id, code=gateway)
        payment = self._claim(
            db, store_id=store_id, gateway=gateway, amount_cents=amount_cents,
            currency=currency, reference=reference, key=key, platform_id=platform_id,
        )
        if payment.status == "failed" and payment.start_data is None:
            raise GatewayFailedError(payment.failure_message or "the payment could not be started")
        if payment.status != "created":
            return payment
        request = PaymentRequest(
            amount_cents=amount_cents,
            currency=currency,
            reference=reference,
            description=description.strip()[:500],
            return_url=return_url,
            cancel_url=cancel_url,
            customer_email=customer_email.strip(),
            idempotency_key=f"orion-{store_id}-{key}" if platform_id is None else f"orion-p{platform_id}-{store_id}-{key}",
        )
        try:
            result = gw.start_payment(payment=request)
        except PaymentGatewayError as exc:
            self._fail_start(db, payment.id, exc)
            error = PaymentDeclinedError if exc.declined else GatewayFailedError
            raise error(exc.message, field="gateway") from None
        payment = self._lock(db, payment.id)
        if payment.status == "created":
            payment.status = "pending"
            payment.provider_payment_id = result.provider_payment_id
            payment.start_data = result.to_dict()
            payment.updated_at = utcnow()
        db.commit()
        logger.info("payment %s of store %s started with %s", payment.id, store_id, gateway)
        return payment

    def _fail_start(self, db: Session, payment_id: int, exc: PaymentGatewayError) -> None:
        payment = self._lock(db, payment_id)
        if payment.status == "created":
            self._set_status(db, payment, "failed", failure_message=exc.message)
        db.commit()
        logger.info("payment %s could not be started: %s", payment_id, exc.code)

    # -- status changes ---------------------------------------------------------------------

    def _set_status(self, db: Session, payment: Payment, status: str, *, failure_message: str = "") -> bool:
        """Move ``payment`` to ``status`` when allowed; fire the event; True when it changed."""
        if payment.status not in ALLOWED_FROM.get(status, set()):
            return False
        payment.status = status
        if status == "failed":
            payment.failure_message = (failure_message or "")[:500]
        if status == "refunded":
            payment.refunded_cents = payment.amount_cents
        payment.updated_at = utcnow()
        db.flush()
        if status in EVENT_STATUSES:
            emit(db, status_changed(db, payment))
        return True

    def _apply(
        self, db: Session, *, store_id: int | None, gateway: str, event: WebhookEvent,
        platform_id: int | None = None,
    ) -> WebhookOutcome:
        """Record ``event`` as seen and apply it to its payment, once.

        For the platform's account (``platform_id``, ``store_id`` None) the payment is found
        among the payments to the platform, and the event is recorded as seen for the paying
        store under ``platform:{gateway}``: a store using the same provider account as the
        platform sees the event at its own endpoint too, and neither hides it from the other.
        An event about no payment of the platform changes nothing and is not recorded."""
        begin_write(db)
        provider = gateway if platform_id is None else f"platform:{gateway}"
        payment = None
        if event.provider_payment_id:
            owner = (Payment.store_id == store_id, Payment.platform_id.is_(None)) if platform_id is None else (
                Payment.platform_id == platform_id,)
            payment = db.scalar(
                select(Payment)
                .where(
                    *owner,
                    Payment.gateway == gateway,
                    Payment.provider_payment_id == event.provider_payment_id,
                )
                .with_for_update()
                .execution_options(populate_existing=True)
            )
        if platform_id is not None:
            if payment is None:
                db.commit()
                return WebhookOutcome(event_id=event.event_id)
            store_id = payment.store_id
        seen = db.scalar(
            select(PaymentEventSeen.id).where(
                PaymentEventSeen.store_id == store_id,
                PaymentEventSeen.provider == provider,
                PaymentEventSeen.event_id == event.event_id,
            )
        )
        if seen is not None:
            db.commit()
            return WebhookOutcome(event_id=event.event_id, duplicate=True)
        db.add(
            PaymentEventSeen(
                provider=provider,
                event_id=event.event_id,
                event_type=event.event_type[:100],
                store_id=store_id,
                payment_id=payment.id if payment else None,
                received_at=utcnow(),
            )
        )
        try:
            db.flush()
        except IntegrityError:  # the same event is being handled by another request
            db.rollback()
            return WebhookOutcome(event_id=event.event_id, duplicate=True)
        changed = False
        try:
            if payment is not None and event.status:
                if event.provider_capture_id:
                    payment.provider_capture_id = event.provider_capture_id
                if event.status == "refunded":
                    changed = self._record_refund(db, payment, event.amount_cents)
                else:
                    changed = self._set_status(
                        db, payment, event.status, failure_message=event.failure_message
                    )
            db.commit()
        except BaseException:
            db.rollback()
            raise
        if changed:
            logger.info("payment %s is now %s (%s %s)", payment.id, payment.status, gateway, event.event_type)
        return WebhookOutcome(
            event_id=event.event_id, payment_id=payment.id if payment else None, changed=changed
        )

    def _record_refund(self, db: Session, payment: Payment, amount_cents: int | None) -> bool:
        refunded = min(payment.amount_cents, max(payment.refunded_cents, amount_cents or payment.amount_cents))
        if refunded >= payment.amount_cents:
            return self._set_status(db, payment, "refunded")
        if refunded != payment.refunded_cents:
            payment.refunded_cents = refunded
            payment.updated_at = utcnow()
        return False

    def handle_webhook(
        self,
        db: Session,
        *,
        store_id: int,
        gateway: str,
        headers: Mapping[str, str],
        raw_body: bytes,
    ) -> WebhookOutcome:
        """Verify a provider's webhook for the store and apply it once.

        WebhookRejectedError (400) when forged or stale, NotFoundError for a gateway that is
        not configured or takes no webhooks; a replayed event changes nothing.
        """
        if gateway not in GATEWAYS:
            raise NotFoundError(f"no payment gateway {gateway!r}")
        gw = settings_service.configured_gateway(db, store_id=store_id, code=gateway)
        peek = getattr(gw, "referenced_payment", None)
        if peek is not None:  # verifying costs calls to the provider: first, is it about us at all?
            reference = peek(raw_body)
            known = reference is not None and db.scalar(select(Payment.id).where(
                Payment.store_id == store_id, Payment.platform_id.is_(None), Payment.gateway == gateway,
                Payment.provider_payment_id == reference))
            if not known:
                db.commit()
                logger.info("ignored a %s webhook for store %s about no payment of it", gateway, store_id)
                return WebhookOutcome()
        db.commit()  # end the read: the provider may be asked to verify the signature
        try:
            event = gw.handle_webhook(headers=headers, raw_body=raw_body)
        except WebhookVerificationError:
            logger.warning("rejected a %s webhook for store %s: bad or stale signature", gateway, store_id)
            raise WebhookRejectedError("the webhook's signature is invalid or too old") from None
        except WebhooksNotSupported:
            raise NotFoundError(f"{gateway} takes no webhooks") from None
        except PaymentGatewayError as exc:
            raise GatewayFailedError(exc.message) from None
        if event is None or not event.event_id:
            return WebhookOutcome()
        if event.status == "approved":
            return self._capture_approved(db, store_id=store_id, gateway=gateway, gw=gw, event=event)
        return self._apply(db, store_id=store_id, gateway=gateway, event=event)

    def handle_platform_webhook(
        self,
        db: Session,
        *,
        platform_id: int,
        gateway: str,
        headers: Mapping[str, str],
        raw_body: bytes,
    ) -> WebhookOutcome:
        """Verify a webhook of the platform's own account (signed with the platform's webhook
        secret) and apply it once to the store's payment to the platform it names.

        WebhookRejectedError (400) when forged or stale, NotFoundError when the platform has no
        such account; a replayed event changes nothing."""
        gw = platform_settings_service.configured_gateway(db, platform_id=platform_id, code=gateway)
        db.commit()  # end the read before verifying
        try:
            event = gw.handle_webhook(headers=headers, raw_body=raw_body)
        except WebhookVerificationError:
            logger.warning("rejected a %s webhook for platform %s: bad or stale signature", gateway, platform_id)
            raise WebhookRejectedError("the webhook's signature is invalid or too old") from None
        except WebhooksNotSupported:
            raise NotFoundError(f"{gateway} takes no webhooks") from None
        except PaymentGatewayError as exc:
            raise GatewayFailedError(exc.message) from None
        if event is None or not event.event_id:
            return WebhookOutcome()
        return self._apply(db, store_id=None, gateway=gateway, event=event, platform_id=platform_id)

    def platform_payments_for(self, db: Session, *, platform_id: int, store_id: int, reference: str) -> list[Payment]:
        """The store's payments to the platform for ``reference`` (an invoice number), oldest first."""
        return list(db.scalars(
            select(Payment)
            .where(Payment.platform_id == platform_id, Payment.store_id == store_id, Payment.reference == reference)
            .order_by(Payment.id)
        ))

    def _capture_approved(
        self, db: Session, *, store_id: int, gateway: str, gw: Any, event: WebhookEvent
    ) -> WebhookOutcome:
        """PayPal's order approval: capture the order, then apply the result under the event's id."""
        seen = db.scalar(
            select(PaymentEventSeen.id).where(
                PaymentEventSeen.store_id == store_id,
                PaymentEventSeen.provider == gateway,
                PaymentEventSeen.event_id == event.event_id,
            )
        )
        payment = db.scalar(
            select(Payment).where(
                Payment.store_id == store_id,
                Payment.platform_id.is_(None),
                Payment.gateway == gateway,
                Payment.provider_payment_id == event.provider_payment_id,
            )
        )
        db.commit()
        if seen is not None:
            return WebhookOutcome(event_id=event.event_id, duplicate=True)
        outcome_event = event
        if payment is not None and payment.status in ("created", "pending") and hasattr(gw, "capture"):
            try:
                captured = gw.capture(provider_payment_id=event.provider_payment_id)
            except PaymentGatewayError as exc:
                if not exc.declined:
                    raise GatewayFailedError(exc.message) from None
                captured = WebhookEvent(
                    event_id=event.event_id, event_type=event.event_type,
                    provider_payment_id=event.provider_payment_id, status="failed",
                    failure_message=exc.message,
                )
            outcome_event = WebhookEvent(
                event_id=event.event_id,
                event_type=event.event_type,
                provider_payment_id=event.provider_payment_id,
                status=captured.status,
                amount_cents=captured.amount_cents,
                provider_capture_id=captured.provider_capture_id,
                failure_message=captured.failure_message,
            )
        else:
            outcome_event = WebhookEvent(
                event_id=event.event_id, event_type=event.event_type,
                provider_payment_id=event.provider_payment_id, status=None,
            )
        return self._apply(db, store_id=store_id, gateway=gateway, event=outcome_event)

    def capture(self, db: Session, *, store_id: int, payment_id: int) -> Payment:
        """Capture a payment the payer approved at the provider (PayPal's return page);
        a payment already settled is returned as it is."""
        payment = self.get_payment(db, store_id=store_id, payment_id=payment_id)
        gw = settings_service.configured_gateway(db, store_id=store_id, code=payment.gateway)
        db.commit()
        if payment.status != "pending" or not payment.provider_payment_id:
            return payment
        if not hasattr(gw, "capture"):
            raise ValidationError("this payment method has nothing to capture", field="gateway")
        try:
            event = gw.capture(provider_payment_id=payment.provider_payment_id)
        except PaymentGatewayError as exc:
            if not exc.declined:
                raise GatewayFailedError(exc.message) from None
            event = WebhookEvent(
                event_id=f"capture-{payment.provider_payment_id}", event_type="CAPTURE",
                provider_payment_id=payment.provider_payment_id, status="failed",
                failure_message=exc.message,
            )
        self._apply(db, store_id=store_id, gateway=payment.gateway, event=event)
        return self.get_payment(db, store_id=store_id, payment_id=payment_id)

    def mark_paid(self, db: Session, *, payment_id: int, store_id: int, actor: Any = None) -> Payment:
        """Staff confirm they received an offline payment (bank transfer, cash on pickup).

        Marking a paid payment again changes nothing; other statuses are a ConflictError.
        """
        payment = self.get_payment(db, store_id=store_id, payment_id=payment_id)
        cls = GATEWAYS.get(payment.gateway)
        if cls is None or not cls.requires_staff_confirmation:
            raise ValidationError("only offline payments are marked paid by staff", field="gateway")
        payment = self._lock(db, payment_id)
        if payment.status == "succeeded":
            db.commit()
            return payment
        if payment.status != "pending":
            db.rollback()
            raise ConflictError(f"a {payment.status} payment cannot be marked paid", field="status")
        actor_id = getattr(actor, "id", actor)
        payment.confirmed_by_id = actor_id if isinstance(actor_id, int) else None
        payment.confirmed_at = utcnow()
        try:
            self._set_status(db, payment, "succeeded")
            db.commit()
        except BaseException:
            db.rollback()
            raise
        logger.info("payment %s marked paid by user %s", payment.id, payment.confirmed_by_id)
        return payment

    def refund(
        self,
        db: Session,
        *,
        payment_id: int,
        store_id: int,
        amount_cents: int | None = None,
        actor: Any = None,
    ) -> Payment:
        """Give back ``amount_cents`` (everything still refundable by default) of a succeeded
        payment through its gateway; refunded in full, the payment becomes ``refunded``.

        The provider is called with no transaction open (on SQLite a write lock held for up to
        two 20-second calls would make every shopper's write fail), under an idempotency key
        made of the payment, what was refunded before and the amount: a retry after a lost
        answer or a failed commit, or a second click at the same time, refunds once. The
        result is recorded afterwards, once."""
        try:
            payment = self.get_payment(db, store_id=store_id, payment_id=payment_id)
            if payment.status != "succeeded":
                raise ConflictError(f"a {payment.status} payment cannot be refunded", field="status")
            amount = payment.refundable_cents if amount_cents is None else amount_cents
            if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount <= payment.refundable_cents:
                raise ValidationError("the amount must be above zero and at most what was paid", field="amount_cents")
            gw = settings_service.configured_gateway(db, store_id=store_id, code=payment.gateway)
            target = payment.provider_capture_id or payment.provider_payment_id or ""
            before = payment.refunded_cents
        finally:
            db.commit()  # end the read: nothing is held while the provider answers
        key = f"refund-{payment_id}-{before}-{amount}"
        try:
            result = gw.refund(provider_payment_id=target, amount_cents=amount, idempotency_key=key)
        except PaymentGatewayError as exc:
            raise GatewayFailedError(exc.message, field="amount_cents") from None
        if not result.ok:
            raise GatewayFailedError(result.message or "the refund was refused", field="amount_cents")
        payment = self._lock(db, payment_id)
        try:
            if payment.refunded_cents == before:  # not recorded yet by a twin of this request
                self._record_refund(db, payment, before + amount)
            db.commit()
        except BaseException:
            db.rollback()
            raise
        logger.info("payment %s refunded %s cents by user %s", payment.id, amount, getattr(actor, "id", actor))
        return payment


payment_service = PaymentService()
