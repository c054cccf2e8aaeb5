"""Signing staff and admins in and out of the dashboards."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from orion_server.auth import throttle
from orion_server.auth.login_tokens import redeem as redeem_login_token
from orion_server.auth.sessions import authenticate, revoke_session, start_session
from orion_server.errors import AuthenticationError
from orion_server.models import StoreMembership, User


@dataclass(frozen=True)
class SignIn:
    """A successful sign-in: the user and the cookie token of the new session."""

    user: User
    token: str


class SignInService:
    """Sign-in rules per frontend: admins for the admin, members (or admins) for a store."""

    def sign_in_admin(
        self, db: Session, *, email: str, password: str, days: int, ip: str | None, agent: str | None
    ) -> SignIn:
        """Sign a platform admin in (throttled: see ``orion_server.auth.throttle``)."""
        with throttle.guard(db, throttle.Attempt("admin", email, ip)):
            user = authenticate(db, email=email, password=password)
            if not user.is_admin:
                raise AuthenticationError("wrong e-mail address or password")
        return SignIn(user, start_session(db, user=user, days=days, ip_address=ip, user_agent=agent))

    def sign_in_store(
        self, db: Session, *, store_id: int, email: str, password: str, days: int, ip: str | None, agent: str | None
    ) -> SignIn:
        """Sign a member of the store (or an admin) in to its dashboard (throttled)."""
        with throttle.guard(db, throttle.Attempt("store", email, ip)):
            user = authenticate(db, email=email, password=password)
            if not user.is_admin:
                member = db.scalar(
                    select(StoreMembership.id).where(
                        StoreMembership.store_id == store_id, StoreMembership.user_id == user.id
                    )
                )
                if member is None:
                    raise AuthenticationError("wrong e-mail address or password")
        return SignIn(user, start_session(db, user=user, days=days, ip_address=ip, user_agent=agent))

    def sign_in_admin_with_link(
        self, db: Session, *, link_token: str | None, days: int, ip: str | None, agent: str | None
    ) -> SignIn:
        """Redeem a one-time sign-in link (console, ``orion admin-link``) and start a new session."""
        user = redeem_login_token(db, link_token)
        return SignIn(user, start_session(db, user=user, days=days, ip_address=ip, user_agent=agent))

    def sign_out(self, db: Session, *, token: str | None) -> None:
        """End the session of this cookie token."""
        revoke_session(db, token)


sign_in_service = SignInService()
