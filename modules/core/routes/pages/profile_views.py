"""Every signed-in person's own profile, in the admin (``/admin/profile``) and in a store
dashboard (``/store/{store}/profile``): name, dashboard language, password, active sessions.

Mounted by ``admin.py`` and ``store.py`` (``include_router``), so the module gate and the CSRF
check apply. The page is the same in both; only the frame and the addresses differ.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from orion_server import accounts
from orion_server.config import LANGUAGE_NAMES, get_settings
from orion_server.deps import AnyMember, CurrentAdmin, SessionDep
from orion_server.errors import TooManyAttemptsError
from orion_server.flash import flash_for, with_done
from orion_server.forms import WithProblems
from orion_server.i18n import LANGUAGE_COOKIE, t
from orion_server.models import User
from orion_server.modules.context import get_admin_context, get_store_context
from orion_server.routing import ModuleRouter
from orion_server.templating import render

FLASHES = ("saved", "password_changed", "signed_out_others", "session_ended")

admin_profile = ModuleRouter()
store_profile = ModuleRouter()
Text = Annotated[str, Form()]


def _page(
    request: Request,
    db: Session,
    user: User,
    base: str,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    language = request.state.language
    current = getattr(request.state, "user_session", None)
    extra = {
        "active": "profile",
        "base": base,
        "profile_user": user,
        "languages": {code: LANGUAGE_NAMES[code] for code in get_settings().supported_languages},
        "sessions": accounts.active_sessions(db, user),
        "current_session_id": current.id if current is not None else None,
        "errors": errors or {},
        "values": values or {},
        "flash": flash_for(request.query_params.get("done"), prefix="core.profile.flash.", allowed=FLASHES,
                           language=language),
    }
    if base.startswith("/admin"):
        context = get_admin_context(request, db, **extra)
    else:
        context = get_store_context(request, db, **extra)
    context["page_title"] = context["t"]("core.profile.title")
    return render(request, "core/profile.html", context, status_code=status)


def _refused(request: Request, db: Session, user: User, base: str, exc: WithProblems, values: dict[str, str]) -> Response:
    return _page(request, db, user, base, errors=exc.field_messages(request.state.language), values=values, status=422)


def _save_profile(request: Request, db: Session, user: User, base: str, full_name: str, language: str) -> Response:
    try:
        accounts.update_profile(db, user, full_name=full_name, language=language)
    except accounts.AccountInputError as exc:
        return _refused(request, db, user, base, exc, {"full_name": full_name, "language": language})
    response = RedirectResponse(with_done(base, "saved"), status_code=303)
    # The new language shows at once, and a language picked earlier in this browser gives way.
    response.set_cookie(LANGUAGE_COOKIE, language, max_age=31536000, samesite="lax",
                        secure=get_settings().secure_cookies, path="/")
    return response


def _change_password(request: Request, db: Session, user: User, base: str, current: str, new: str, repeat: str) -> Response:
    session = getattr(request.state, "user_session", None)
    try:
        accounts.change_password(
            db, user, current=current, new=new, repeat=repeat,
            keep_session_id=session.id if session is not None else None,
            address=request.client.host if request.client else None,
        )
    except accounts.AccountInputError as exc:
        return _refused(request, db, user, base, exc, {})
    except TooManyAttemptsError as exc:
        minutes = max(1, -(-exc.retry_after // 60))
        message = t("auth.too_many", request.state.language, minutes=minutes)
        response = _page(request, db, user, base, errors={"current_password": message}, status=429)
        response.headers.update(exc.headers())
        return response
    return RedirectResponse(with_done(base, "password_changed"), status_code=303)


def _sign_out_others(request: Request, db: Session, user: User, base: str) -> Response:
    session = getattr(request.state, "user_session", None)
    accounts.sign_out_everywhere(db, user, keep_session_id=session.id if session is not None else None)
    return RedirectResponse(with_done(base, "signed_out_others"), status_code=303)


def _end_session(db: Session, user: User, base: str, session_id: int) -> Response:
    accounts.sign_out_session(db, user, session_id)
    return RedirectResponse(with_done(base, "session_ended"), status_code=303)


# -- admin ------------------------------------------------------------------------------------

ADMIN_BASE = "/admin/profile"


@admin_profile.get("/profile")
def admin_profile_page(request: Request, db: SessionDep, admin: CurrentAdmin) -> Response:
    """The admin's own profile."""
    return _page(request, db, admin, ADMIN_BASE)


@admin_profile.post("/profile")
def admin_profile_save(
    request: Request, db: SessionDep, admin: CurrentAdmin, full_name: Text = "", language: Text = ""
) -> Response:
    """Save the name and dashboard language."""
    return _save_profile(request, db, admin, ADMIN_BASE, full_name, language)


@admin_profile.post("/profile/password")
def admin_password_change(
    request: Request,
    db: SessionDep,
    admin: CurrentAdmin,
    current_password: Text = "",
    new_password: Text = "",
    repeat_password: Text = "",
) -> Response:
    """Change the password; the admin's other sessions end."""
    return _change_password(request, db, admin, ADMIN_BASE, current_password, new_password, repeat_password)


@admin_profile.post("/profile/sessions/sign-out-others")
def admin_sign_out_others(request: Request, db: SessionDep, admin: CurrentAdmin) -> Response:
    """End every session but this one."""
    return _sign_out_others(request, db, admin, ADMIN_BASE)


@admin_profile.post("/profile/sessions/{session_id}/end")
def admin_end_session(request: Request, db: SessionDep, admin: CurrentAdmin, session_id: int) -> Response:
    """End one other session (a lost phone, a shared computer)."""
    return _end_session(db, admin, ADMIN_BASE, session_id)


# -- store dashboard --------------------------------------------------------------------------


@store_profile.get("/{store_code}/profile")
def store_profile_page(request: Request, store_code: str, db: SessionDep, staff: AnyMember) -> Response:
    """The member's own profile."""
    return _page(request, db, staff.user, f"/store/{store_code}/profile")


@store_profile.post("/{store_code}/profile")
def store_profile_save(
    request: Request, store_code: str, db: SessionDep, staff: AnyMember, full_name: Text = "", language: Text = ""
) -> Response:
    """Save the name and dashboard language."""
    return _save_profile(request, db, staff.user, f"/store/{store_code}/profile", full_name, language)


@store_profile.post("/{store_code}/profile/password")
def store_password_change(
    request: Request,
    store_code: str,
    db: SessionDep,
    staff: AnyMember,
    current_password: Text = "",
    new_password: Text = "",
    repeat_password: Text = "",
) -> Response:
    """Change the password; the member's other sessions end."""
    return _change_password(
        request, db, staff.user, f"/store/{store_code}/profile", current_password, new_password, repeat_password
    )


@store_profile.post("/{store_code}/profile/sessions/sign-out-others")
def store_sign_out_others(request: Request, store_code: str, db: SessionDep, staff: AnyMember) -> Response:
    """End every session but this one."""
    return _sign_out_others(request, db, staff.user, f"/store/{store_code}/profile")


@store_profile.post("/{store_code}/profile/sessions/{session_id}/end")
def store_end_session(
    request: Request, store_code: str, db: SessionDep, staff: AnyMember, session_id: int
) -> Response:
    """End one other session."""
    return _end_session(db, staff.user, f"/store/{store_code}/profile", session_id)
