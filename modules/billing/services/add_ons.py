"""Add-ons on top of a paid plan: bought at once (the days left of the period invoiced,
prorated to the day), given up at the end of the period already paid, renewed with the plan.
More mailboxes are bought as more of the same add-on; the period's invoice covers them all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from modules.billing.exceptions import BillingInputError, Problem
from modules.billing.models import (
    ADD_ONS,
    InvoiceKind,
    StoreAddOn,
    SubscriptionInvoice,
    add_on_price,
)
from modules.billing.services.invoicing import InvoiceLine, invoicing_service, vat_on
from modules.billing.services.notices import announce
from modules.billing.services.periods import prorated, whole_days
from modules.billing.services.subscription_service import begin_billing_write, subscription_service
from orion_server import audit
from orion_server.database import utcnow
from orion_server.i18n import format_date, t
from orion_server.models import Store, User


@dataclass(frozen=True)
class AddOnQuote:
    """What buying ``quantity`` more of an add-on costs now, until the period ends."""

    code: str
    quantity: int
    """How many more."""
    total_quantity: int
    """How many the store has after buying."""
    lines: tuple[InvoiceLine, ...]
    vat_rate: int
    period_end: datetime

    @property
    def net_cents(self) -> int:
        return sum(line.net_cents for line in self.lines)

    @property
    def vat_cents(self) -> int:
        return vat_on(self.net_cents, self.vat_rate)

    @property
    def total_cents(self) -> int:
        return self.net_cents + self.vat_cents


def add_on_name(code: str, quantity: int, language: str) -> str:
    """``E-mail mailboxes × 3`` in ``language``."""
    name = t(f"billing.addon.{code}", language)
    return f"{name} × {quantity}" if quantity > 1 else name


class AddOnService:
    """The add-ons of a store."""

    def of_store(self, db: Session, *, store_id: int, now: datetime | None = None) -> list[StoreAddOn]:
        """The store's add-ons still running (those given up run until their end)."""
        now = now or utcnow()
        rows = db.scalars(select(StoreAddOn).where(StoreAddOn.store_id == store_id).order_by(StoreAddOn.code))
        return [row for row in rows if row.ends_at is None or row.ends_at > now]

    def quote(self, db: Session, *, store_id: int, code: str, quantity: str | int = 1, language: str = "en",
              now: datetime | None = None) -> AddOnQuote:
        """What buying ``quantity`` of add-on ``code`` costs for the rest of the period;
        BillingInputError without a paid plan, for an unknown add-on or a quantity out of range."""
        now = now or utcnow()
        if code not in ADD_ONS:
            raise BillingInputError([Problem("code", "billing.errors.add_on", {"add_ons": ", ".join(ADD_ONS)})])
        subscription = subscription_service.get_or_start_trial(db, store_id=store_id, now=now)
        if not subscription.paid_period_running(now):
            raise BillingInputError([Problem("code", "billing.errors.add_on_needs_plan")])
        existing = db.scalar(select(StoreAddOn).where(StoreAddOn.store_id == store_id, StoreAddOn.code == code))
        has = existing.quantity if existing is not None and (existing.ends_at is None or existing.ends_at > now) else 0
        limit = ADD_ONS[code]["max_quantity"]
        try:
            more = int(str(quantity).strip())
        except ValueError:
            more = 0
        if more < 1 or has + more > limit:
            if limit == 1:
                raise BillingInputError([Problem("quantity", "billing.errors.add_on_once")])
            raise BillingInputError([Problem("quantity", "billing.errors.whole_number", {"min": 1, "max": limit - has})])
        end = subscription.period_end
        days_total = whole_days(subscription.period_start, end)
        days_left = min(days_total, whole_days(now, end))
        net = prorated(add_on_price(code, subscription.billing_cycle, more), days_left, days_total)
        line = InvoiceLine(t("billing.invoice.line_add_on", language, add_on=add_on_name(code, more, language),
                             days=days_left, total=days_total, end=format_date(end, language)), net, more)
        vat_rate = invoicing_service.vat_rate(db, platform_id=db.get(Store, store_id).platform_id)
        return AddOnQuote(code=code, quantity=more, total_quantity=has + more, lines=(line,), vat_rate=vat_rate,
                          period_end=end)

    def buy(self, db: Session, *, store_id: int, code: str, quantity: str | int = 1, language: str = "en",
            actor: User | None = None, now: datetime | None = None) -> SubscriptionInvoice:
        """Add the add-on now and invoice the rest of the period; audited."""
        now = now or utcnow()
        quote = self.quote(db, store_id=store_id, code=code, quantity=quantity, language=language, now=now)
        begin_billing_write(db)
        subscription = subscription_service.get_subscription(db, store_id=store_id)
        store = db.get(Store, store_id)
        row = db.scalar(select(StoreAddOn).where(StoreAddOn.store_id == store_id, StoreAddOn.code == code))
        if row is None:
            row = StoreAddOn(store_id=store_id, code=code, quantity=0, started_at=now)
            db.add(row)
        elif row.ends_at is not None and row.ends_at <= now:
            row.quantity, row.started_at = 0, now
        row.quantity = quote.total_quantity
        row.ends_at = None
        invoice = invoicing_service.issue(
            db, store=store, kind=InvoiceKind.ADD_ON.value, tier=subscription.tier, cycle=subscription.billing_cycle,
            period_start=now, period_end=quote.period_end, lines=quote.lines, now=now)
        announce(db, store, "invoice_issued", key=f"invoice_issued:{invoice.number}", invoice=invoice)
        audit.record(db, "billing.add_on.buy", target=f"store:{store.code}", actor=actor,
                     platform_id=store.platform_id, store_id=store_id, code=code, quantity=quote.quantity,
                     invoice=invoice.number)
        db.commit()
        return invoice

    def give_up(self, db: Session, *, store_id: int, code: str, actor: User | None = None,
                now: datetime | None = None) -> StoreAddOn:
        """Stop the add-on at the end of the period already paid (nothing is refunded)."""
        now = now or utcnow()
        begin_billing_write(db)
        row = db.scalar(select(StoreAddOn).where(StoreAddOn.store_id == store_id, StoreAddOn.code == code))
        if row is None or (row.ends_at is not None and row.ends_at <= now):
            db.rollback()
            raise BillingInputError([Problem("code", "billing.errors.add_on_missing")])
        subscription = subscription_service.get_subscription(db, store_id=store_id)
        row.ends_at = subscription.period_end if subscription.paid_period_running(now) else now
        store = db.get(Store, store_id)
        audit.record(db, "billing.add_on.give_up", target=f"store:{store.code}", actor=actor,
                     platform_id=store.platform_id, store_id=store_id, code=code, ends_at=row.ends_at.isoformat())
        db.commit()
        return row

    def renewal_lines(self, db: Session, *, store_id: int, cycle: str, start: datetime, end: datetime,
                      language: str) -> list[InvoiceLine]:
        """The lines of the add-ons that run into the period ``start``–``end``, in the
        renewal's transaction."""
        lines = []
        for row in db.scalars(select(StoreAddOn).where(StoreAddOn.store_id == store_id).order_by(StoreAddOn.code)):
            if row.ends_at is not None and row.ends_at <= start:
                continue
            lines.append(InvoiceLine(
                t("billing.invoice.line_period", language, plan=add_on_name(row.code, row.quantity, language),
                  start=format_date(start, language), end=format_date(end, language)),
                add_on_price(row.code, cycle, row.quantity), row.quantity))
        return lines


add_on_service = AddOnService()
