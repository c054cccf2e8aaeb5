"""Resetting a forgotten password: a token made and announced (messaging e-mails the link),
checked, then spent."""

from __future__ import annotations

import secrets

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from modules.contracts.events import PasswordResetRequested
from modules.customers.exceptions import CustomerInputError, Problem, ResetTokenInvalidError
from modules.customers.models import Customer, PasswordResetToken
from modules.customers.services.rules import RESET_LIFETIME, _hash_token
from orion_server.auth.passwords import hash_password
from orion_server.config import get_settings
from orion_server.database import begin_write, utcnow
from orion_server.events import emit


class PasswordReset:
    """Resetting a forgotten password: a token made and announced (messaging e-mails the
    link), checked, then spent."""

    def reset_link(self, *, platform_code: str, store_code: str, token: str) -> str:
        """The absolute link of a reset token, from the configured base URL (never the Host)."""
        base = get_settings().base_url.rstrip("/")
        return (
            f"{base}/platforms/{platform_code}/storefront/{store_code}/account/reset?token={token}"
        )

    def request_password_reset(self, db: Session, *, store_id: int, email: str) -> str | None:
        """Make a reset token for the store's customer with this address and announce it
        (``PasswordResetRequested``: messaging e-mails the link); returns the token, or None
        when no account has that address."""
        customer = self.find_by_email(db, store_id=store_id, email=email)
        if customer is None or customer.password_hash is None or customer.is_erased:
            return None
        begin_write(db)
        store = self._store(db, store_id)
        token = secrets.token_urlsafe(32)
        now = utcnow()
        db.add(
            PasswordResetToken(
                customer_id=customer.id,
                token_hash=_hash_token(token),
                created_at=now,
                expires_at=now + RESET_LIFETIME,
            )
        )
        link = self.reset_link(
            platform_code=store.platform.code, store_code=store.code, token=token
        )
        emit(
            db,
            PasswordResetRequested(
                platform_id=store.platform_id,
                store_id=store.id,
                customer_id=customer.id,
                email=customer.email,
                customer_name=customer.full_name or customer.email,
                language=customer.preferred_language,
                link=link,
                expires_hours=int(RESET_LIFETIME.total_seconds() // 3600) or 1,
            ),
        )
        db.commit()
        return token

    def check_reset_token(self, db: Session, *, store_id: int, token: str | None) -> Customer:
        """The customer a usable reset token belongs to, or ResetTokenInvalidError."""
        if not token or len(token) > 200:
            raise ResetTokenInvalidError()
        found = db.scalar(
            select(PasswordResetToken).where(PasswordResetToken.token_hash == _hash_token(token))
        )
        if (
            found is None
            or found.used_at is not None
            or found.expires_at <= utcnow()
            or found.customer.store_id != store_id
            or found.customer.is_erased
        ):
            raise ResetTokenInvalidError()
        return found.customer

    def reset_password(
        self, db: Session, *, store_id: int, token: str, new_password: str
    ) -> Customer:
        """Set a new password with a reset token; the token (and every other) is then spent and
        every session of the customer ends."""
        problems: list[Problem] = []
        new_password = self._password(problems, new_password)
        begin_write(db)
        customer = self.check_reset_token(db, store_id=store_id, token=token)
        if problems:
            raise CustomerInputError(problems)
        now = utcnow()
        db.execute(
            update(PasswordResetToken)
            .where(
                PasswordResetToken.customer_id == customer.id,
                PasswordResetToken.used_at.is_(None),
            )
            .values(used_at=now)
        )
        customer.password_hash = hash_password(new_password)
        self._revoke_all(db, customer.id)
        db.commit()
        return customer
