"""What billing does when other modules announce something (declared in its definition)."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from modules.billing.exceptions import BillingInputError
from modules.billing.models import InvoiceStatus, SubscriptionInvoice
from modules.billing.services import standing_service
from modules.contracts.events import PaymentStatusChanged

logger = logging.getLogger(__name__)


def on_payment_status_changed(db: Session, event: PaymentStatusChanged) -> None:
    """A store's card payment to the platform succeeded: the open invoice its reference names
    is recorded as paid by card (audited, the owners told, a read-only state lifted), with the
    provider's payment id as the note.

    Payments to stores (orders) are not billing's; an invoice already paid (the event came
    again, or staff recorded a transfer meanwhile) or a payment of another amount or currency
    changes nothing."""
    if event.purpose != "subscription" or event.status != "succeeded" or event.store_id is None:
        return
    invoice = db.scalar(select(SubscriptionInvoice).where(
        SubscriptionInvoice.platform_id == event.platform_id,
        SubscriptionInvoice.store_id == event.store_id,
        SubscriptionInvoice.number == event.reference,
    ))
    if invoice is None or invoice.status != InvoiceStatus.OPEN:
        return
    if event.amount_cents != invoice.total_cents or event.currency.upper() != invoice.currency.upper():
        logger.warning("payment %s of %s %s does not pay invoice %s (%s %s)", event.payment_id, event.amount_cents,
                       event.currency, invoice.number, invoice.total_cents, invoice.currency)
        return
    try:
        standing_service.record_payment(db, platform_id=event.platform_id, invoice_id=invoice.id, method="card",
                                        note=event.provider_payment_id or f"{event.gateway} #{event.payment_id}")
    except BillingInputError:  # paid meanwhile: nothing left to record
        db.rollback()
        logger.info("invoice %s was already paid when payment %s succeeded", invoice.number, event.payment_id)
