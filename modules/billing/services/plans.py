"""A store chooses its plan: a quote before confirming (the prorated amount, or what stands in
the way of a smaller plan), the change itself, and the period's renewal.

- From the trial (or after a lapsed period) a plan starts today for a full period.
- An upgrade applies at once. In the same cycle the period stays and the difference is
  charged for the days left, prorated to the day; moving to the annual cycle starts a new
  year today, less the unused days of the running period.
- A downgrade (a cheaper tier, or annual to monthly) applies when the period ends, and is
  refused while the store uses more than the smaller tier allows.

Prices are net; the platform's VAT rate is added on the invoice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from modules.billing.exceptions import BillingInputError, Problem
from modules.billing.models import (
    LIMIT_KEYS,
    TIER_LIMITS,
    BillingCycle,
    InvoiceKind,
    StoreSubscription,
    SubscriptionInvoice,
    SubscriptionStatus,
    TierCode,
    tier_rank,
)
from modules.billing.services.add_ons import add_on_service
from modules.billing.services.invoicing import InvoiceLine, invoicing_service, vat_on
from modules.billing.services.notices import announce
from modules.billing.services.periods import period_end, prorated, whole_days
from modules.billing.services.subscription_service import begin_billing_write, subscription_service
from modules.contracts.tier_limits import usage_of
from orion_server import audit
from orion_server.database import utcnow
from orion_server.i18n import format_date, t
from orion_server.models import Store, User


class ChangeKind:
    """What choosing a plan does."""

    START = "start"
    """The trial (or a lapsed period) ends; the plan starts today, charged in full."""
    UPGRADE = "upgrade"
    """More room at once, the difference charged for the days left."""
    DOWNGRADE = "downgrade"
    """Less room from the end of the period; nothing charged now."""


@dataclass(frozen=True)
class LimitExcess:
    """A limit the chosen tier sets below what the store uses now."""

    key: str
    used: int
    allowed: int


@dataclass(frozen=True)
class PlanQuote:
    """What choosing ``tier`` billed ``cycle`` would do, shown before the store confirms."""

    tier: str
    cycle: str
    current_tier: str
    current_cycle: str
    kind: str
    applies_at: datetime
    period_start: datetime
    period_end: datetime
    lines: tuple[InvoiceLine, ...]
    vat_rate: int
    excess: tuple[LimitExcess, ...]

    @property
    def net_cents(self) -> int:
        return sum(line.net_cents for line in self.lines)

    @property
    def vat_cents(self) -> int:
        return vat_on(self.net_cents, self.vat_rate)

    @property
    def total_cents(self) -> int:
        return self.net_cents + self.vat_cents

    @property
    def allowed(self) -> bool:
        """Nothing stands in the way."""
        return not self.excess


@dataclass(frozen=True)
class PlanChange:
    """The outcome of a confirmed change."""

    subscription: StoreSubscription
    kind: str
    invoice: SubscriptionInvoice | None


def price_of(tier: TierCode | str, cycle: BillingCycle | str) -> int | None:
    """The net price of a period of ``tier`` billed ``cycle`` (None: quoted per customer)."""
    data = TIER_LIMITS[TierCode(tier)]
    if data["custom_pricing"]:
        return None
    key = "price_annual_cents" if BillingCycle(cycle) == BillingCycle.ANNUAL else "price_monthly_cents"
    return data[key]


def plan_choice(tier: str, cycle: str, *, self_serve: bool = True) -> tuple[TierCode, BillingCycle]:
    """The tier and cycle a form names; BillingInputError naming each wrong field. A store
    choosing for itself (``self_serve``) cannot pick a tier quoted per customer; an admin can."""
    problems: list[Problem] = []
    try:
        code = TierCode((tier or "").strip().lower())
    except ValueError:
        code = None
        problems.append(Problem("tier", "billing.errors.tier", {"tiers": ", ".join(c.value for c in TierCode)}))
    try:
        billing = BillingCycle((cycle or "").strip().lower())
    except ValueError:
        billing = None
        problems.append(Problem("cycle", "billing.errors.cycle"))
    if self_serve and code is not None and TIER_LIMITS[code]["custom_pricing"]:
        problems.append(Problem("tier", "billing.errors.custom_pricing", {"plan": TIER_LIMITS[code]["name"]}))
    if problems:
        raise BillingInputError(problems)
    return code, billing


def _excess(db: Session, store_id: int, tier: TierCode) -> tuple[LimitExcess, ...]:
    used = usage_of(db, store_id=store_id)
    found = []
    for key in LIMIT_KEYS:
        allowed = TIER_LIMITS[tier].get(key)
        if key == "orders_per_month" or allowed is None or key not in used:
            continue  # this month's orders cannot be undone: the lower limit counts from next month
        if used[key] > allowed:
            found.append(LimitExcess(key=key, used=used[key], allowed=allowed))
    return tuple(found)


def _plan_name(tier: TierCode | str, cycle: BillingCycle | str, language: str) -> str:
    return t("billing.invoice.plan_name", language, plan=TIER_LIMITS[TierCode(tier)]["name"],
             cycle=t(f"billing.cycle.{BillingCycle(cycle).value}", language))


class PlanService:
    """Quotes and applies a store's choice of plan."""

    def quote(
        self, db: Session, *, store_id: int, tier: str, cycle: str, language: str = "en",
        now: datetime | None = None,
    ) -> PlanQuote:
        """What choosing ``tier`` billed ``cycle`` would cost and when it applies;
        BillingInputError for an unknown choice, a tier quoted per customer, or the plan the
        store is already on."""
        now = now or utcnow()
        code, billing = plan_choice(tier, cycle)
        subscription = subscription_service.get_or_start_trial(db, store_id=store_id, now=now)
        current = TierCode(subscription.tier)
        current_cycle = BillingCycle(subscription.billing_cycle)
        vat_rate = invoicing_service.vat_rate(db, platform_id=db.get(Store, store_id).platform_id)
        price = price_of(code, billing)
        base = {"tier": code.value, "cycle": billing.value, "current_tier": current.value,
                "current_cycle": current_cycle.value, "vat_rate": vat_rate,
                "excess": _excess(db, store_id, code)}
        if not subscription.paid_period_running(now):
            end = period_end(now, billing)
            line = InvoiceLine(t("billing.invoice.line_period", language, plan=_plan_name(code, billing, language),
                                 start=format_date(now, language), end=format_date(end, language)), price)
            return PlanQuote(kind=ChangeKind.START, applies_at=now, period_start=now, period_end=end,
                             lines=(line,), **base)
        if code == current and billing == current_cycle:
            raise BillingInputError([Problem("tier", "billing.errors.same_plan", {"plan": _plan_name(code, billing, language)})])
        start, end = subscription.period_start, subscription.period_end
        lower = tier_rank(code) < tier_rank(current)
        to_monthly = billing == BillingCycle.MONTHLY and current_cycle == BillingCycle.ANNUAL
        if lower or to_monthly:
            return PlanQuote(kind=ChangeKind.DOWNGRADE, applies_at=end, period_start=end,
                             period_end=period_end(end, billing), lines=(), **base)
        days_total = whole_days(start, end)
        days_left = min(days_total, whole_days(now, end))
        current_price = price_of(current, current_cycle) or 0
        if billing == current_cycle:
            net = prorated(price - current_price, days_left, days_total)
            line = InvoiceLine(t("billing.invoice.line_upgrade", language, old=_plan_name(current, current_cycle, language),
                                 new=_plan_name(code, billing, language), days=days_left, total=days_total,
                                 end=format_date(end, language)), net)
            return PlanQuote(kind=ChangeKind.UPGRADE, applies_at=now, period_start=now, period_end=end,
                             lines=(line,), **base)
        new_end = period_end(now, billing)
        credit = prorated(current_price, days_left, days_total)
        lines = (
            InvoiceLine(t("billing.invoice.line_period", language, plan=_plan_name(code, billing, language),
                          start=format_date(now, language), end=format_date(new_end, language)), price),
            InvoiceLine(t("billing.invoice.line_credit", language, plan=_plan_name(current, current_cycle, language),
                          days=days_left, total=days_total), -min(credit, price)),
        )
        return PlanQuote(kind=ChangeKind.UPGRADE, applies_at=now, period_start=now, period_end=new_end,
                         lines=lines, **base)

    def change(
        self, db: Session, *, store_id: int, tier: str, cycle: str, language: str = "en",
        actor: User | None = None, now: datetime | None = None,
    ) -> PlanChange:
        """Apply the choice the quote described: a start or an upgrade at once with its invoice,
        a downgrade scheduled for the period's end. BillingInputError, naming each limit the
        store is over, when the chosen tier is too small for it."""
        now = now or utcnow()
        quote = self.quote(db, store_id=store_id, tier=tier, cycle=cycle, language=language, now=now)
        if quote.excess:
            raise BillingInputError([
                Problem("tier", "billing.errors.over_limit", {
                    "limit": t(f"billing.store.{item.key}", language), "used": item.used,
                    "allowed": item.allowed, "plan": TIER_LIMITS[TierCode(quote.tier)]["name"]})
                for item in quote.excess
            ])
        begin_billing_write(db)
        subscription = subscription_service.get_subscription(db, store_id=store_id)
        store = db.get(Store, store_id)
        invoice = None
        if quote.kind == ChangeKind.DOWNGRADE:
            subscription.scheduled_tier = quote.tier
            subscription.scheduled_cycle = quote.cycle
        else:
            if quote.kind == ChangeKind.START:
                subscription.started_at = now
            subscription.tier = quote.tier
            subscription.billing_cycle = quote.cycle
            subscription.status = SubscriptionStatus.ACTIVE.value
            subscription.trial_ends_at = None
            if quote.kind == ChangeKind.START or quote.cycle != quote.current_cycle:
                subscription.period_start = quote.period_start  # a new period starts today
            subscription.period_end = quote.period_end
            subscription.scheduled_tier = None
            subscription.scheduled_cycle = None
            invoice = invoicing_service.issue(
                db, store=store, kind=InvoiceKind.PLAN_CHANGE.value, tier=quote.tier, cycle=quote.cycle,
                period_start=quote.period_start, period_end=quote.period_end, lines=quote.lines, now=now,
            )
            announce(db, store, "invoice_issued", key=f"invoice_issued:{invoice.number}", invoice=invoice)
        audit.record(
            db, "billing.plan.change", target=f"store:{store.code}", actor=actor,
            platform_id=store.platform_id, store_id=store_id, kind=quote.kind,
            before={"tier": quote.current_tier, "cycle": quote.current_cycle},
            after={"tier": quote.tier, "cycle": quote.cycle},
            invoice=invoice.number if invoice is not None else None,
        )
        db.commit()
        return PlanChange(subscription=subscription, kind=quote.kind, invoice=invoice)

    def cancel_scheduled(self, db: Session, *, store_id: int, actor: User | None = None) -> StoreSubscription:
        """Keep the current plan after all: forget a downgrade scheduled for the period's end."""
        begin_billing_write(db)
        subscription = subscription_service.get_subscription(db, store_id=store_id)
        if subscription is not None and subscription.scheduled_tier is not None:
            store = db.get(Store, store_id)
            audit.record(db, "billing.plan.keep", target=f"store:{store.code}", actor=actor,
                         platform_id=store.platform_id, store_id=store_id,
                         cancelled={"tier": subscription.scheduled_tier, "cycle": subscription.scheduled_cycle})
            subscription.scheduled_tier = None
            subscription.scheduled_cycle = None
        db.commit()
        return subscription

    def renew_due(self, db: Session, *, now: datetime | None = None, language: str = "en") -> int:
        """Start the next period of every paid subscription whose period has ended: a scheduled
        downgrade applies, and the new period is invoiced. Returns how many renewed."""
        now = now or utcnow()
        due_ids = list(db.scalars(
            select(StoreSubscription.id).where(
                StoreSubscription.status == SubscriptionStatus.ACTIVE.value,
                StoreSubscription.period_end.is_not(None),
                StoreSubscription.period_end <= now,
            )
        ))
        db.rollback()
        renewed = 0
        for subscription_id in due_ids:
            begin_billing_write(db)
            subscription = db.get(StoreSubscription, subscription_id)
            if subscription is None or subscription.period_end is None or subscription.period_end > now:
                db.rollback()
                continue
            store = db.get(Store, subscription.store_id)
            if subscription.scheduled_tier:
                subscription.tier = subscription.scheduled_tier
                subscription.billing_cycle = subscription.scheduled_cycle or subscription.billing_cycle
                subscription.scheduled_tier = None
                subscription.scheduled_cycle = None
            lang = store.default_language or language
            while subscription.period_end <= now:  # a server that was off misses no period
                start = subscription.period_end
                end = period_end(start, subscription.billing_cycle)
                price = price_of(subscription.tier, subscription.billing_cycle) or 0
                line = InvoiceLine(t("billing.invoice.line_period", lang,
                                     plan=_plan_name(subscription.tier, subscription.billing_cycle, lang),
                                     start=format_date(start, lang), end=format_date(end, lang)), price)
                extras = add_on_service.renewal_lines(db, store_id=store.id, cycle=subscription.billing_cycle,
                                                      start=start, end=end, language=lang)
                invoice = invoicing_service.issue(
                    db, store=store, kind=InvoiceKind.RENEWAL.value, tier=subscription.tier,
                    cycle=subscription.billing_cycle, period_start=start, period_end=end, lines=(line, *extras),
                    now=now)
                announce(db, store, "invoice_issued", key=f"invoice_issued:{invoice.number}", invoice=invoice)
                subscription.period_start = start
                subscription.period_end = end
            db.commit()
            renewed += 1
        return renewed


plan_service = PlanService()
