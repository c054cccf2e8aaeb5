"""One-time tokens behind links: the admin sign-in link (issued by the console or ``orion
admin-link``, good for ``TOKEN_SECONDS``) and a forgotten password's reset link (an hour).

The link carries a random token; the table keeps only its hash. A token is good for its purpose
and for one use: redeeming marks it used in the same UPDATE that checks it, so two requests
racing with one link cannot both succeed.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from orion_server.database import utcnow
from orion_server.errors import AuthenticationError, NotFoundError
from orion_server.models import User
from orion_server.models.login_tokens import LoginToken

TOKEN_SECONDS = 60
TOKEN_PATH = "/admin/auth/token"
SIGN_IN = "sign_in"
PASSWORD_RESET = "password_reset"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(db: Session, user: User, *, purpose: str, seconds: int) -> str:
    """A new one-time token of ``purpose`` for ``user``, added to the transaction (the caller
    commits and puts the token in a link)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.add(LoginToken(token_hash=_hash(token), user_id=user.id, created_at=now, purpose=purpose,
                      expires_at=now + timedelta(seconds=seconds)))
    return token


def redeem_token(db: Session, token: str | None, *, purpose: str) -> User:
    """The active user a ``purpose`` token was issued for, once (marked used and committed);
    AuthenticationError when it was used, has expired, is unknown or is for something else."""
    if not token or len(token) > 200:
        raise AuthenticationError("this link is not valid")
    now = utcnow()
    hashed = _hash(token)
    claimed = db.execute(
        update(LoginToken)
        .where(LoginToken.token_hash == hashed, LoginToken.purpose == purpose, LoginToken.used_at.is_(None),
               LoginToken.expires_at > now)
        .values(used_at=now)
    ).rowcount
    db.commit()
    if claimed != 1:
        raise AuthenticationError("this link was already used, has expired or is not valid")
    found = db.scalar(select(LoginToken).where(LoginToken.token_hash == hashed))
    user = db.get(User, found.user_id) if found else None
    if user is None or not user.is_active:
        raise AuthenticationError("this link is not valid")
    return user


def token_is_live(db: Session, token: str | None, *, purpose: str) -> bool:
    """Whether ``token`` could still be redeemed (to show a form before asking for input)."""
    if not token or len(token) > 200:
        return False
    return db.scalar(
        select(LoginToken.id).where(LoginToken.token_hash == _hash(token), LoginToken.purpose == purpose,
                                    LoginToken.used_at.is_(None), LoginToken.expires_at > utcnow())
    ) is not None


def issue_login_token(db: Session, user_id: int, *, seconds: int = TOKEN_SECONDS) -> str:
    """A new one-time sign-in token for the admin ``user_id`` (the caller puts it in a link)."""
    user = db.get(User, user_id)
    if user is None or not user.is_active or not user.is_admin:
        raise AuthenticationError("only an active admin can be given a sign-in link")
    token = issue_token(db, user, purpose=SIGN_IN, seconds=seconds)
    db.commit()
    return token


def redeem(db: Session, token: str | None) -> User:
    """The admin a sign-in token was issued for, once; AuthenticationError when used, expired,
    unknown or not an admin's."""
    try:
        user = redeem_token(db, token, purpose=SIGN_IN)
    except AuthenticationError:
        raise AuthenticationError("this sign-in link was already used, has expired or is not valid") from None
    if not user.is_admin:
        raise AuthenticationError("this sign-in link is not valid")
    return user


def first_admin(db: Session, email: str | None = None) -> User:
    """The active admin with ``email``, or the first active admin; NotFoundError when none."""
    query = select(User).where(User.is_active.is_(True)).order_by(User.id)
    if email:
        query = query.where(User.email == email.strip().lower())
    for user in db.scalars(query):
        if user.is_admin:
            return user
    if email:
        raise NotFoundError(f"no active admin with the e-mail address {email.strip().lower()}")
    raise NotFoundError("there is no active admin: create one with `orion users create-admin`")


def admin_link(db: Session, base_url: str, email: str | None = None) -> str:
    """A one-time sign-in URL to the admin for ``email`` (default: the first active admin)."""
    token = issue_login_token(db, first_admin(db, email).id)
    return f"{base_url.rstrip('/')}{TOKEN_PATH}?token={token}"
