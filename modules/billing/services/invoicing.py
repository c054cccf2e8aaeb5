"""Subscription invoices: the platform's seller details, gap-free numbers per platform, and an
invoice marked paid when the money arrived."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from modules.billing.config import config as billing_config
from modules.billing.exceptions import BillingInputError, Problem
from modules.billing.models import InvoiceStatus, PlatformBillingProfile, SubscriptionInvoice
from modules.billing.models.invoice import (
    DEFAULT_GRACE_DAYS,
    DEFAULT_PAYMENT_TERMS_DAYS,
    DEFAULT_VAT_RATE,
)
from orion_server import audit
from orion_server.errors import NotFoundError
from orion_server.models import Platform, Store, User
from orion_server.pagination import Page, clamp_page

PROFILE_FIELDS = (
    "seller_name",
    "seller_address",
    "seller_vat_number",
    "seller_email",
    "iban",
    "bic",
    "vat_rate",
    "payment_terms_days",
    "grace_days",
    "orders_when_read_only",
    "invoice_prefix",
)
"""What a platform admin edits of the platform's billing profile."""

INVOICES_PER_PAGE = 20


@dataclass(frozen=True)
class InvoiceLine:
    """One line of an invoice being issued: a text in the store's language and a net amount."""

    description: str
    net_cents: int
    quantity: int = 1


def vat_on(net_cents: int, rate: int) -> int:
    """VAT at ``rate`` percent on a net amount, rounded to the cent (half up)."""
    return (2 * net_cents * rate + 100) // 200


def default_prefix(platform: Platform) -> str:
    """The invoice number prefix of a platform that chose none: its code in capitals."""
    return f"{platform.code.upper()}-"


class InvoicingService:
    """The platform's billing profile and the invoices it issues to stores."""

    def profile(self, db: Session, *, platform_id: int) -> PlatformBillingProfile:
        """The platform's billing profile; made (from the platform's name) on first use, inside
        the caller's write transaction."""
        found = db.scalar(select(PlatformBillingProfile).where(PlatformBillingProfile.platform_id == platform_id))
        if found is not None:
            return found
        platform = db.get(Platform, platform_id)
        if platform is None:
            raise NotFoundError(f"no platform {platform_id}")
        found = PlatformBillingProfile(platform_id=platform_id, seller_name=platform.name)
        db.add(found)
        db.flush()
        return found

    def profile_or_defaults(self, db: Session, *, platform_id: int) -> PlatformBillingProfile:
        """The platform's profile to show in a form: the stored one, else an unsaved one with
        the defaults (reading never writes)."""
        found = db.scalar(select(PlatformBillingProfile).where(PlatformBillingProfile.platform_id == platform_id))
        if found is not None:
            return found
        platform = db.get(Platform, platform_id)
        return PlatformBillingProfile(
            platform_id=platform_id, seller_name=platform.name if platform else "", seller_address="",
            seller_vat_number="", seller_email="", iban="", bic="", vat_rate=DEFAULT_VAT_RATE,
            payment_terms_days=DEFAULT_PAYMENT_TERMS_DAYS, grace_days=DEFAULT_GRACE_DAYS,
            orders_when_read_only=False, invoice_prefix="", last_invoice_sequence=0)

    def vat_rate(self, db: Session, *, platform_id: int) -> int:
        """The VAT rate the platform invoices at (read only: the default before any profile)."""
        rate = db.scalar(
            select(PlatformBillingProfile.vat_rate).where(PlatformBillingProfile.platform_id == platform_id)
        )
        return DEFAULT_VAT_RATE if rate is None else rate

    def grace_days(self, db: Session, *, platform_id: int) -> int:
        """Days after a due date before a store turns read-only."""
        days = db.scalar(
            select(PlatformBillingProfile.grace_days).where(PlatformBillingProfile.platform_id == platform_id)
        )
        return DEFAULT_GRACE_DAYS if days is None else days

    def orders_when_read_only(self, db: Session, *, platform_id: int) -> bool:
        """Whether the platform lets a read-only store's storefront take new orders."""
        return bool(db.scalar(
            select(PlatformBillingProfile.orders_when_read_only).where(PlatformBillingProfile.platform_id == platform_id)
        ))

    def save_profile(
        self, db: Session, *, platform_id: int, values: dict[str, str], actor: User | None = None
    ) -> PlatformBillingProfile:
        """Check and store the seller details; BillingInputError names every wrong field."""
        clean, problems = _clean_profile(values)
        if problems:
            raise BillingInputError(problems)
        profile = self.profile(db, platform_id=platform_id)
        before = {name: getattr(profile, name) for name in PROFILE_FIELDS}
        for name, value in clean.items():
            setattr(profile, name, value)
        after = {name: getattr(profile, name) for name in PROFILE_FIELDS}
        changed = {name: after[name] for name in PROFILE_FIELDS if before[name] != after[name]}
        if changed:
            audit.record(
                db,
                "billing.profile.update",
                target=f"platform:{platform_id}",
                actor=actor,
                platform_id=platform_id,
                before={name: before[name] for name in changed},
                after=changed,
            )
        db.commit()
        return profile

    def _next_sequence(self, db: Session, platform_id: int) -> int:
        """Take the platform's next invoice sequence inside the caller's transaction: the row
        update locks the counter until commit, so two invoices never share a number and a
        rolled-back invoice gives its number back (no gaps)."""
        self.profile(db, platform_id=platform_id)
        return db.execute(
            update(PlatformBillingProfile)
            .where(PlatformBillingProfile.platform_id == platform_id)
            .values(last_invoice_sequence=PlatformBillingProfile.last_invoice_sequence + 1)
            .returning(PlatformBillingProfile.last_invoice_sequence)
            .execution_options(synchronize_session=False)
        ).scalar_one()

    def issue(
        self,
        db: Session,
        *,
        store: Store,
        kind: str,
        tier: str,
        cycle: str,
        period_start: datetime,
        period_end: datetime,
        lines: Sequence[InvoiceLine],
        now: datetime,
    ) -> SubscriptionInvoice:
        """Add an open invoice to the caller's write transaction (the caller commits)."""
        sequence = self._next_sequence(db, store.platform_id)
        profile = self.profile(db, platform_id=store.platform_id)
        db.refresh(profile)
        platform = db.get(Platform, store.platform_id)
        prefix = profile.invoice_prefix or default_prefix(platform)
        net = sum(line.net_cents for line in lines)
        vat = vat_on(net, profile.vat_rate)
        invoice = SubscriptionInvoice(
            platform_id=store.platform_id,
            store_id=store.id,
            sequence=sequence,
            number=f"{prefix}{sequence:06d}",
            kind=kind,
            status=InvoiceStatus.OPEN.value,
            issued_at=now,
            due_at=now + timedelta(days=profile.payment_terms_days),
            tier=tier,
            billing_cycle=cycle,
            period_start=period_start,
            period_end=period_end,
            currency=billing_config.currency,
            vat_rate=profile.vat_rate,
            net_cents=net,
            vat_cents=vat,
            total_cents=net + vat,
            lines=[
                {
                    "description": line.description,
                    "quantity": line.quantity,
                    "unit_net_cents": line.net_cents // max(1, line.quantity),
                    "net_cents": line.net_cents,
                }
                for line in lines
            ],
            seller=_seller(profile, platform),
            buyer=_buyer(store),
            payment_method="",
            payment_note="",
        )
        db.add(invoice)
        db.flush()
        return invoice

    def invoices_of_store(self, db: Session, *, store_id: int, page: int = 1) -> Page[SubscriptionInvoice]:
        """The store's invoices, newest first."""
        query = select(SubscriptionInvoice).where(SubscriptionInvoice.store_id == store_id)
        total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
        page = clamp_page(page, total, INVOICES_PER_PAGE)
        items = list(
            db.scalars(
                query.order_by(SubscriptionInvoice.sequence.desc())
                .offset((page - 1) * INVOICES_PER_PAGE)
                .limit(INVOICES_PER_PAGE)
            )
        )
        return Page(items, total, page, INVOICES_PER_PAGE)

    def invoice_of_store(self, db: Session, *, store_id: int, number: str) -> SubscriptionInvoice:
        """One of the store's invoices by number; NotFoundError for any other."""
        found = db.scalar(
            select(SubscriptionInvoice).where(
                SubscriptionInvoice.store_id == store_id, SubscriptionInvoice.number == number
            )
        )
        if found is None:
            raise NotFoundError(f"no invoice {number}")
        return found

    def invoice_of_store_by_id(self, db: Session, *, store_id: int, invoice_id: int) -> SubscriptionInvoice:
        """One of the store's invoices by id; NotFoundError for any other."""
        found = db.get(SubscriptionInvoice, invoice_id)
        if found is None or found.store_id != store_id:
            raise NotFoundError(f"no invoice {invoice_id}")
        return found


def _seller(profile: PlatformBillingProfile, platform: Platform) -> dict[str, Any]:
    return {
        "name": profile.seller_name or platform.name,
        "address": profile.seller_address,
        "vat_number": profile.seller_vat_number,
        "email": profile.seller_email,
        "iban": profile.iban,
        "bic": profile.bic,
    }


def _buyer(store: Store) -> dict[str, Any]:
    merchant = store.merchant
    return {
        "name": merchant.name if merchant is not None and merchant.name else store.name,
        "store": store.name,
        "store_code": store.code,
        "address": store.address or (merchant.business_address if merchant is not None else None) or "",
        "vat_number": store.vat_number or (merchant.tax_number if merchant is not None else None) or "",
        "email": store.contact_email or (merchant.contact_email if merchant is not None else None) or "",
    }


def _clean_profile(values: dict[str, str]) -> tuple[dict[str, Any], list[Problem]]:
    """The profile's fields checked: texts trimmed to their length, numbers in range."""
    problems: list[Problem] = []
    clean: dict[str, Any] = {}
    limits = {"seller_name": 200, "seller_address": 500, "seller_vat_number": 20, "seller_email": 255,
              "iban": 34, "bic": 11, "invoice_prefix": 12}
    for name, length in limits.items():
        text = (values.get(name) or "").strip()
        if name in ("iban", "bic", "seller_vat_number"):
            text = text.replace(" ", "").upper()
        if len(text) > length:
            problems.append(Problem(name, "billing.errors.too_long", {"max": length}))
        clean[name] = text
    if not clean["seller_name"]:
        problems.append(Problem("seller_name", "billing.errors.required"))
    if clean["seller_email"] and "@" not in clean["seller_email"]:
        problems.append(Problem("seller_email", "billing.errors.email"))
    if clean["invoice_prefix"] and not all(c.isalnum() or c in "-_/" for c in clean["invoice_prefix"]):
        problems.append(Problem("invoice_prefix", "billing.errors.prefix"))
    clean["orders_when_read_only"] = (values.get("orders_when_read_only") or "").strip().lower() in ("1", "on", "true", "yes")
    for name, low, high in (("vat_rate", 0, 100), ("payment_terms_days", 0, 120), ("grace_days", 0, 90)):
        text = (values.get(name) or "").strip()
        try:
            number = int(text)
        except ValueError:
            problems.append(Problem(name, "billing.errors.whole_number", {"min": low, "max": high}))
            continue
        if not low <= number <= high:
            problems.append(Problem(name, "billing.errors.whole_number", {"min": low, "max": high}))
        clean[name] = number
    return clean, problems


invoicing_service = InvoicingService()
