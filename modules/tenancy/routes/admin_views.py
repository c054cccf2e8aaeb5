"""Helpers of the tenancy admin pages: rendering, one-time success messages, form errors.

A success message survives one redirect (Post/Redirect/Get) in a short-lived cookie signed
with the session's CSRF token, so nobody else can plant a message in an admin's screen.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any
from urllib.parse import urlencode

from babel.lists import format_list
from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from orion_server.config import LANGUAGE_NAMES, get_settings
from orion_server.errors import OrionError
from orion_server.forms import WithProblems
from orion_server.i18n import babel_locale, t
from orion_server.modules.context import get_admin_context
from orion_server.templating import render

FLASH_COOKIE = "orion_tenancy_flash"
FLASH_PATH = "/admin"
FLASH_PREFIX = "tenancy.flash."
FLASH_KINDS = ("ok", "error", "info")
PER_PAGE = 20
MAX_PAGE = 100_000


def language_of(request: Request) -> str:
    """The language the page is shown in."""
    return getattr(request.state, "language", None) or "en"


def tr(request: Request, key: str, **params: Any) -> str:
    """``key`` translated into the page's language."""
    return t(key, language_of(request), **params)


def language_options() -> list[tuple[str, str]]:
    """``(code, name)`` of the languages this installation offers."""
    return [(code, LANGUAGE_NAMES.get(code, code)) for code in get_settings().supported_languages]


def format_names(request: Request, names: list[str]) -> str:
    """``["Cart", "Orders"]`` -> ``Cart and Orders`` in the page's language."""
    if not names:
        return ""
    return format_list(names, locale=babel_locale(language_of(request)))


# -- paging ---------------------------------------------------------------------------------


def page_link_base(path: str, **params: str | None) -> str:
    """``path?a=1&`` ready for ``page=N`` to be appended (empty parameters left out)."""
    query = urlencode({k: v for k, v in params.items() if v})
    return f"{path}?{query}&" if query else f"{path}?"


# -- errors ---------------------------------------------------------------------------------


def translate_problem(
    request: Request, key: str | None, params: dict[str, Any] | None, fallback: str
) -> str:
    """A service problem in the page's language (its English message if the key is unknown)."""
    if key:
        text = tr(request, key, **(params or {}))
        if text != key:
            return text
    return fallback[:1].upper() + fallback[1:]


def field_errors(
    request: Request, exc: OrionError, fields: set[str] | None = None
) -> dict[str, str]:
    """``field -> message`` for every problem an error reports (``_form`` for the rest).

    Problems on fields the form does not show (``fields``) are reported under ``_form``.
    """
    if isinstance(exc, WithProblems):
        errors: dict[str, str] = {}
        for name, message in exc.field_messages(language_of(request)).items():
            errors.setdefault(name if fields is None or name in fields else "_form", message)
        return errors
    problems = exc.details.get("problems") or [
        {
            "field": exc.field,
            "key": exc.details.get("key"),
            "params": exc.details.get("params"),
            "message": exc.message,
        }
    ]
    errors = {}
    for problem in problems:
        name = problem.get("field") or "_form"
        if fields is not None and name not in fields:
            name = "_form"
        message = translate_problem(
            request, problem.get("key"), problem.get("params"), problem.get("message", "")
        )
        errors.setdefault(name, message)
    return errors


# -- success messages -----------------------------------------------------------------------


def _signature(request: Request, payload: str) -> str:
    user_session = getattr(request.state, "user_session", None)
    secret = (user_session.csrf_token if user_session is not None else "").encode()
    return hmac.new(secret, payload.encode(), hashlib.sha256).hexdigest()[:32]


def redirect_with_flash(
    request: Request, url: str, key: str, kind: str = "ok", **params: Any
) -> RedirectResponse:
    """303 to ``url``; the page there shows ``key`` once."""
    payload = base64.urlsafe_b64encode(
        json.dumps({"key": key, "kind": kind, "params": params}, ensure_ascii=False).encode()
    ).decode()
    response = RedirectResponse(url, status_code=303)
    response.set_cookie(
        FLASH_COOKIE,
        f"{payload}.{_signature(request, payload)}",
        max_age=120,
        path=FLASH_PATH,
        httponly=True,
        samesite="lax",
        secure=get_settings().secure_cookies,
    )
    return response


def take_flash(request: Request) -> dict[str, str] | None:
    """The message left by the previous request, translated; None if there is none (or forged)."""
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw or "." not in raw:
        return None
    payload, _, signature = raw.rpartition(".")
    if not hmac.compare_digest(signature, _signature(request, payload)):
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(payload.encode()))
        key, kind, params = str(data["key"]), str(data["kind"]), dict(data["params"])
    except (ValueError, KeyError, TypeError):
        return None
    if not key.startswith(FLASH_PREFIX) or kind not in FLASH_KINDS:
        return None
    return {"kind": kind, "message": tr(request, key, **params)}


def render_admin(
    request: Request,
    db: Session,
    template: str,
    *,
    active: str,
    title: str,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    """An admin page with the base context, the page title and any pending success message."""
    context = get_admin_context(
        request, db, active=active, page_title=title, flash=take_flash(request), **extra
    )
    response = render(request, template, context, status_code=status_code)
    if FLASH_COOKIE in request.cookies:
        response.delete_cookie(FLASH_COOKIE, path=FLASH_PATH)
    return response
