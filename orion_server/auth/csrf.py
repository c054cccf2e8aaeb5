"""CSRF tokens: the session's own token when signed in, else a random cookie (double submit)."""

from __future__ import annotations

import hmac
import secrets

from starlette.requests import Request

CSRF_COOKIE = "orion_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def csrf_token_for(request: Request) -> str:
    """The token a form on this page must send back."""
    user_session = getattr(request.state, "user_session", None)
    if user_session is not None:
        return user_session.csrf_token
    token = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf_cookie", None)
    if not token:
        token = secrets.token_urlsafe(32)
        request.state.new_csrf_cookie = token
    return token


def csrf_token_matches(request: Request, submitted: str | None) -> bool:
    """Whether ``submitted`` is the token expected for this request."""
    if not submitted:
        return False
    user_session = getattr(request.state, "user_session", None)
    expected = user_session.csrf_token if user_session is not None else request.cookies.get(CSRF_COOKIE)
    return bool(expected) and hmac.compare_digest(expected, submitted)
