"""Signing in: the password checked (and guessing throttled), the sessions behind the
storefront's cookie."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from modules.customers.exceptions import WrongCredentialsError
from modules.customers.models import Customer, CustomerSession
from modules.customers.services.rules import _hash_token
from orion_server.auth import throttle
from orion_server.auth.passwords import dummy_hash, hash_password, needs_rehash, verify_password
from orion_server.config import get_settings
from orion_server.database import begin_write, utcnow


class SignIn:
    """Signing in: the password checked (and guessing throttled), the sessions behind the
    storefront's cookie."""

    # -- sign-in -------------------------------------------------------------------------

    def authenticate(
        self, db: Session, *, store_id: int, email: str, password: str, address: str | None = None
    ) -> Customer:
        """The store's customer with these credentials, or WrongCredentialsError.

        Unknown addresses, guests and erased customers cost one password check too, so the
        answer takes as long whether or not the address exists. Guessing is throttled per
        account of this store and per client ``address`` (``orion_server.auth.throttle``):
        TooManyAttemptsError (429) once either is locked out.
        """
        with throttle.guard(db, throttle.Attempt("storefront", f"{store_id}|{email}", address)):
            customer = self.find_by_email(db, store_id=store_id, email=email)
            if customer is None or customer.password_hash is None or customer.is_erased:
                verify_password(dummy_hash(), password or "")
                raise WrongCredentialsError()
            if not verify_password(customer.password_hash, password or ""):
                raise WrongCredentialsError()
        if needs_rehash(customer.password_hash):
            begin_write(db)
            customer.password_hash = hash_password(password)
            db.commit()
        return customer

    # -- sessions ------------------------------------------------------------------------

    def start_session(self, db: Session, *, customer: Customer, days: int | None = None) -> str:
        """A new session for ``customer``; returns the cookie token (fresh at every sign-in)."""
        token = secrets.token_urlsafe(32)
        begin_write(db)
        now = utcnow()
        db.add(
            CustomerSession(
                token_hash=_hash_token(token),
                customer_id=customer.id,
                created_at=now,
                expires_at=now + timedelta(days=days or get_settings().session_days),
            )
        )
        customer.last_login_at = now
        db.commit()
        return token

    def load_session(self, db: Session, token: str | None) -> CustomerSession | None:
        """The live session of a cookie token, or None (unknown, revoked, expired, erased)."""
        if not token or len(token) > 200:
            return None
        found = db.scalar(
            select(CustomerSession).where(CustomerSession.token_hash == _hash_token(token))
        )
        if found is None or found.revoked_at is not None or found.expires_at <= utcnow():
            return None
        if found.customer.is_erased or found.customer.password_hash is None:
            return None
        return found

    def revoke_session(self, db: Session, *, token: str | None) -> None:
        """End the session of this cookie token (nothing happens for an unknown one)."""
        if not token:
            return
        begin_write(db)
        db.execute(
            update(CustomerSession)
            .where(
                CustomerSession.token_hash == _hash_token(token),
                CustomerSession.revoked_at.is_(None),
            )
            .values(revoked_at=utcnow())
        )
        db.commit()

    def _revoke_all(self, db: Session, customer_id: int, *, keep_token: str | None = None) -> None:
        """End the customer's sessions (but the one of ``keep_token``), in the caller's transaction."""
        query = update(CustomerSession).where(
            CustomerSession.customer_id == customer_id, CustomerSession.revoked_at.is_(None)
        )
        if keep_token:
            query = query.where(CustomerSession.token_hash != _hash_token(keep_token))
        db.execute(query.values(revoked_at=utcnow()))
