"""Server-side login sessions: the cookie carries a random token, the database its hash."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from orion_server.auth.passwords import dummy_hash, hash_password, needs_rehash, verify_password
from orion_server.database import utcnow
from orion_server.errors import AuthenticationError
from orion_server.models import SupportAccess, User, UserSession

SESSION_COOKIE = "orion_session"


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def authenticate(db: Session, *, email: str, password: str) -> User:
    """The active user with these credentials, or AuthenticationError."""
    user = db.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        verify_password(dummy_hash(), password)
        raise AuthenticationError("wrong e-mail address or password")
    if not verify_password(user.password_hash, password) or not user.is_active:
        raise AuthenticationError("wrong e-mail address or password")
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def start_session(
    db: Session, *, user: User, days: int, ip_address: str | None = None, user_agent: str | None = None
) -> str:
    """Create a new session for ``user`` and return its cookie token (a fresh id at every login)."""
    token = secrets.token_urlsafe(32)
    db.add(
        UserSession(
            token_hash=_hash_token(token),
            user_id=user.id,
            csrf_token=secrets.token_urlsafe(32),
            expires_at=utcnow() + timedelta(days=days),
            ip_address=ip_address,
            user_agent=(user_agent or "")[:300],
        )
    )
    user.last_login_at = utcnow()
    db.commit()
    return token


def load_session(db: Session, token: str | None) -> UserSession | None:
    """The live session for a cookie token, or None (unknown, revoked, expired, inactive user)."""
    if not token:
        return None
    found = db.scalar(select(UserSession).where(UserSession.token_hash == _hash_token(token)))
    if found is None or found.revoked_at is not None or found.expires_at <= utcnow():
        return None
    if not found.user.is_active:
        return None
    return found


def revoke_session(db: Session, token: str | None) -> None:
    """End the session of this cookie token."""
    if not token:
        return
    now = utcnow()
    session_id = db.scalar(select(UserSession.id).where(UserSession.token_hash == _hash_token(token)))
    db.execute(
        update(UserSession)
        .where(UserSession.token_hash == _hash_token(token), UserSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    if session_id is not None:  # signing out ends the admin's support access of this session
        db.execute(
            update(SupportAccess)
            .where(SupportAccess.session_id == session_id, SupportAccess.ended_at.is_(None))
            .values(ended_at=now)
        )
    db.commit()
