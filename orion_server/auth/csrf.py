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
    session_token = getattr(request.state, "session_csrf", None)
    if session_token is not None:
        return session_token
    token = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf_cookie", None)
    if not token:
        token = secrets.token_urlsafe(32)
        request.state.new_csrf_cookie = token
    return token


def csrf_token_matches(request: Request, submitted: str | None) -> bool:
    """Whether ``submitted`` is the token expected for this request."""
    if not submitted:
        return False
    expected = getattr(request.state, "session_csrf", None) or request.cookies.get(CSRF_COOKIE)
    return bool(expected) and hmac.compare_digest(expected, submitted)
