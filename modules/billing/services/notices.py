"""What billing tells a store's owners (by e-mail, through messaging) and its staff (on the
dashboard) at each step of its subscription."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from modules.billing.models import SubscriptionInvoice
from modules.contracts.events import StaffNotice, SubscriptionNotice
from orion_server.config import get_settings
from orion_server.events import emit
from orion_server.i18n import format_date, t
from orion_server.models import Store, StoreMembership, User
from orion_server.money import format_money


def owner_emails(db: Session, store: Store) -> list[str]:
    """Where billing e-mails go: the store's owners, else its contact address."""
    emails = list(db.scalars(
        select(User.email).join(StoreMembership, StoreMembership.user_id == User.id).where(
            StoreMembership.store_id == store.id, StoreMembership.role == "owner", User.is_active.is_(True))
        .order_by(User.id)
    ))
    if not emails and store.contact_email:
        emails = [store.contact_email]
    return emails


def announce(db: Session, store: Store, step: str, *, key: str, invoice: SubscriptionInvoice | None = None,
             read_only_on: datetime | None = None) -> None:
    """Tell the store's owners (e-mail) and staff (dashboard) about a step, in the store's
    language, inside the caller's transaction."""
    language = store.default_language or "en"
    link = f"/store/{store.code}/billing"
    variables = {"store_name": store.name, "billing_url": get_settings().base_url.rstrip("/") + link}
    words = {"store": store.name}
    if invoice is not None:
        variables.update(invoice_number=invoice.number, total_cents=invoice.total_cents,
                         due_date=format_date(invoice.due_at, language))
        words.update(number=invoice.number, total=format_money(invoice.total_cents, language, invoice.currency),
                     due=format_date(invoice.due_at, language))
    if read_only_on is not None:
        variables["read_only_date"] = format_date(read_only_on, language)
        words["date"] = format_date(read_only_on, language)
    emit(db, SubscriptionNotice(platform_id=store.platform_id, store_id=store.id, key=key, step=step,
                                to=owner_emails(db, store), language=language, variables=variables))
    emit(db, StaffNotice(platform_id=store.platform_id, store_id=store.id, kind=f"billing_{step}",
                         title=t(f"billing.notice.{step}", language, **words),
                         body=t(f"billing.notice.{step}_body", language, **words), link=link))


