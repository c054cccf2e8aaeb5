"""Proving a customer owns an address, by a single-use link sent there.

Two things wait for such a link, so nobody can claim what belongs to someone else's mailbox:

- ``orders``: the orders placed with the account's address without signing in (as a guest,
  before registering or by someone else typing that address) join the account's history only
  once the link sent to that address is opened. Registering over a guest record sends it at
  once; the account can ask for it again.
- ``email_change``: a new address replaces the old one only once the link sent to the new
  address is opened (the current password was asked already).

Opening a link is a GET that shows a button; the POST behind it spends the token, so a mail
scanner following links changes nothing.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from modules.contracts.events import CustomerEmailConfirmationRequested, CustomerOrdersConfirmed
from modules.customers.exceptions import CustomerInputError, Problem
from modules.customers.models import Customer, EmailConfirmation
from modules.customers.services.rules import _hash_token, normalise_email
from orion_server.config import get_settings
from orion_server.database import begin_write, utcnow
from orion_server.events import emit

ORDERS = "orders"
EMAIL_CHANGE = "email_change"
PURPOSES = (ORDERS, EMAIL_CHANGE)
CONFIRMATION_LIFETIME = timedelta(hours=48)
RESEND_AFTER = timedelta(minutes=5)
"""A new link for the same purpose and address is sent at most this often (no mail flood)."""


class EmailConfirmations:
    """Links that prove a customer owns an address (see the module docstring)."""

    def confirmation_link(self, *, platform_code: str, store_code: str, token: str) -> str:
        """The absolute link of a confirmation token, from the configured base URL."""
        base = get_settings().base_url.rstrip("/")
        return f"{base}/platforms/{platform_code}/storefront/{store_code}/account/confirm?token={token}"

    def send_confirmation(self, db: Session, *, customer: Customer, purpose: str, email: str | None = None) -> bool:
        """Make a link for ``purpose`` and announce it (messaging e-mails it to ``email``, the
        account's address unless a new one is given); False when the same link went out less
        than ``RESEND_AFTER`` ago. Commits."""
        if purpose not in PURPOSES:
            raise ValueError(f"purpose must be one of {PURPOSES}")
        address = normalise_email(email or customer.email)
        now = utcnow()
        recent = db.scalar(select(EmailConfirmation.id).where(
            EmailConfirmation.customer_id == customer.id, EmailConfirmation.purpose == purpose,
            EmailConfirmation.email == address, EmailConfirmation.used_at.is_(None),
            EmailConfirmation.created_at > now - RESEND_AFTER,
        ))
        if recent is not None:
            return False
        begin_write(db)
        if purpose == EMAIL_CHANGE:  # one pending change at a time: the last address asked for
            db.execute(update(EmailConfirmation).where(
                EmailConfirmation.customer_id == customer.id, EmailConfirmation.purpose == EMAIL_CHANGE,
                EmailConfirmation.used_at.is_(None)).values(used_at=now))
        token = secrets.token_urlsafe(32)
        db.add(EmailConfirmation(customer_id=customer.id, purpose=purpose, email=address,
                                 token_hash=_hash_token(token), created_at=now,
                                 expires_at=now + CONFIRMATION_LIFETIME))
        store = self._store(db, customer.store_id)
        emit(db, CustomerEmailConfirmationRequested(
            platform_id=store.platform_id, store_id=store.id, customer_id=customer.id, email=address,
            customer_name=customer.full_name or customer.email, language=customer.preferred_language,
            purpose=purpose,
            link=self.confirmation_link(platform_code=store.platform.code, store_code=store.code, token=token),
            expires_hours=int(CONFIRMATION_LIFETIME.total_seconds() // 3600),
        ))
        db.commit()
        return True

    def pending_email(self, db: Session, *, customer_id: int) -> str | None:
        """The new address a change waits to be confirmed for, if any."""
        return db.scalar(select(EmailConfirmation.email).where(
            EmailConfirmation.customer_id == customer_id, EmailConfirmation.purpose == EMAIL_CHANGE,
            EmailConfirmation.used_at.is_(None), EmailConfirmation.expires_at > utcnow(),
        ).order_by(EmailConfirmation.created_at.desc()).limit(1))

    def check_confirmation(self, db: Session, *, store_id: int, token: str | None) -> EmailConfirmation:
        """The usable confirmation of this token in this store, or a CustomerInputError on
        ``token`` (unknown, spent, expired, or the customer gone)."""
        found = None
        if token and len(token) <= 200:
            found = db.scalar(select(EmailConfirmation).where(EmailConfirmation.token_hash == _hash_token(token)))
        if (
            found is None
            or found.used_at is not None
            or found.expires_at <= utcnow()
            or found.customer.store_id != store_id
            or found.customer.is_erased
        ):
            raise CustomerInputError([Problem("token", "customers.errors.confirmation_invalid")])
        return found

    def confirm(self, db: Session, *, store_id: int, token: str | None) -> EmailConfirmation:
        """Spend the token: the guest orders join the account (``CustomerOrdersConfirmed``), or
        the account moves to the new address (refused if another account took it meanwhile)."""
        begin_write(db)
        found = self.check_confirmation(db, store_id=store_id, token=token)
        customer = found.customer
        found.used_at = utcnow()
        store = self._store(db, store_id)
        if found.purpose == EMAIL_CHANGE:
            if self.find_by_email(db, store_id=store_id, email=found.email) not in (None, customer):
                db.rollback()
                raise CustomerInputError([Problem("token", "customers.errors.email_taken")])
            customer.email = found.email
            # The address changed: links sent to the old one for the orders are void.
            db.execute(update(EmailConfirmation).where(
                EmailConfirmation.customer_id == customer.id, EmailConfirmation.purpose == ORDERS,
                EmailConfirmation.used_at.is_(None)).values(used_at=found.used_at))
        else:
            emit(db, CustomerOrdersConfirmed(platform_id=store.platform_id, store_id=store_id,
                                             customer_id=customer.id, placed_before=found.created_at.isoformat()))
        self._commit_unique(db)
        return found
