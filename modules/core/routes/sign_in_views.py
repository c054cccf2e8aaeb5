"""The sign-in form shared by the admin and the store dashboard."""

from __future__ import annotations

from urllib.parse import urlparse

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from orion_server.auth.sessions import SESSION_COOKIE
from orion_server.config import get_settings
from orion_server.errors import AuthenticationError, BusyError, OrionError, TooManyAttemptsError
from orion_server.i18n import t
from orion_server.modules.context import get_context_for_frontend
from orion_server.modules.enums import FrontendType
from orion_server.templating import render


def safe_next(target: str | None, default: str) -> str:
    """Only a local path may be a redirect target (no open redirects)."""
    if not target:
        return default
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def render_login(
    request: Request, db: Session, frontend: FrontendType, action: str, *, email: str = "", error: str = "", status: int = 200
) -> Response:
    language = request.state.language
    store = getattr(request.state, "store", None)
    name = store.name if store is not None and frontend == FrontendType.STORE else get_settings().project_name
    context = get_context_for_frontend(
        frontend,
        request,
        db,
        page_title=t("auth.login_title", language, name=name),
        action=action,
        email=email,
        error=error,
        next=safe_next(request.query_params.get("next"), ""),
        signed_out=request.query_params.get("signed_out") == "1",
        password_reset=request.query_params.get("reset") == "1",
    )
    return render(request, "core/login.html", context, status_code=status)


def finish_login(token: str, target: str) -> Response:
    settings = get_settings()
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        max_age=settings.session_days * 86400,
        path="/",
    )
    return response


def finish_logout(target: str) -> Response:
    response = RedirectResponse(target, status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


SIGN_IN_REFUSALS = (AuthenticationError, TooManyAttemptsError, BusyError)
"""What a sign-in can fail with: the form is shown again with a message, never an error page."""


def login_failed(request: Request, db: Session, frontend: FrontendType, action: str, email: str, exc: OrionError) -> Response:
    """The sign-in form again, saying why in the user's language: wrong credentials (400, the
    same whether or not the account exists), throttled (429) or busy (503), with Retry-After."""
    language = request.state.language
    if isinstance(exc, TooManyAttemptsError):
        error, status = t("auth.too_many", language, minutes=max(1, -(-exc.retry_after // 60))), 429
    elif isinstance(exc, BusyError):
        error, status = t("auth.busy", language), 503
    else:
        error, status = t("auth.invalid", language), 400
    response = render_login(request, db, frontend, action, email=email, error=error, status=status)
    response.headers.update(exc.headers())
    return response
