"""The installation's admins, managed by super admins at ``/admin/users``: create one (they get a
link to choose their password), assign a platform admin's platforms, deactivate or reactivate,
send a password reset link.

Mounted by ``admin.py`` (``include_router``), so the module gate and the CSRF check apply.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from orion_server import accounts
from orion_server.config import LANGUAGE_NAMES, get_settings
from orion_server.deps import CurrentSuperAdmin, SessionDep
from orion_server.flash import flash_for, with_done
from orion_server.models import Platform, User
from orion_server.modules.context import get_admin_context
from orion_server.routing import ModuleRouter
from orion_server.templating import render

admin_users = ModuleRouter()
Text = Annotated[str, Form()]
BASE = "/admin/users"
FLASHES = ("deactivated", "activated", "platforms_saved")


def _page(
    request: Request, db: Session, admin: User, *, page: int = 1, errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None, handover: dict[str, str] | None = None, status: int = 200,
) -> Response:
    admins = accounts.list_admins(db, page=page)
    context = get_admin_context(
        request,
        db,
        active="admins",
        admins=admins,
        assigned=accounts.assigned_platforms(db, [a.id for a in admins.items]),
        all_platforms=list(db.scalars(select(Platform).order_by(Platform.name))),
        me=admin,
        roles=accounts.ADMIN_ROLES,
        languages={code: LANGUAGE_NAMES[code] for code in get_settings().supported_languages},
        errors=errors or {},
        values=values or {},
        handover=handover,
        flash=flash_for(request.query_params.get("done"), prefix="core.admins.flash.", allowed=FLASHES,
                        language=request.state.language),
    )
    context["page_title"] = context["t"]("core.admins.title")
    return render(request, "core/admin/users.html", context, status_code=status)


@admin_users.get("/users")
def admins_page(request: Request, db: SessionDep, admin: CurrentSuperAdmin, page: int = 1) -> Response:
    """Every admin of the installation, and the form to add one."""
    return _page(request, db, admin, page=page)


@admin_users.post("/users")
def admin_create(
    request: Request, db: SessionDep, admin: CurrentSuperAdmin,
    email: Text = "", full_name: Text = "", role: Text = "platform_admin", language: Text = "en",
    platforms: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI copies defaults
) -> Response:
    """Create an admin and show, once, the link with which they choose their password; a
    platform admin is assigned to the platforms ticked."""
    values = {"email": email, "full_name": full_name, "role": role, "language": language, "platforms": platforms}
    try:
        created, link = accounts.create_admin(db, actor=admin, email=email, full_name=full_name, role=role,
                                              language=language, platform_codes=platforms)
    except accounts.AccountInputError as exc:
        return _page(request, db, admin, errors=exc.field_messages(request.state.language), values=values,
                     status=422)
    handover = {"kind": "created", "email": created.email, "link": link, "hours": str(accounts.SET_PASSWORD_HOURS)}
    return _page(request, db, admin, handover=handover)


@admin_users.post("/users/{user_id}/platforms")
def admin_platforms(
    request: Request, db: SessionDep, admin: CurrentSuperAdmin, user_id: int,
    platforms: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI copies defaults
) -> Response:
    """Assign a platform admin to exactly the platforms ticked (at least one)."""
    try:
        accounts.set_admin_platforms(db, actor=admin, user_id=user_id, platform_codes=platforms)
    except accounts.AccountInputError as exc:
        db.rollback()
        errors = {f"{key}-{user_id}": text for key, text in exc.field_messages(request.state.language).items()}
        return _page(request, db, admin, errors=errors, status=422)
    return RedirectResponse(with_done(BASE, "platforms_saved"), status_code=303)


@admin_users.post("/users/{user_id}/deactivate")
def admin_deactivate(request: Request, db: SessionDep, admin: CurrentSuperAdmin, user_id: int) -> Response:
    """Deactivate an admin; their sessions end at once."""
    try:
        accounts.set_admin_active(db, actor=admin, user_id=user_id, active=False)
    except accounts.AccountInputError as exc:
        return _page(request, db, admin, errors=exc.field_messages(request.state.language), status=422)
    return RedirectResponse(with_done(BASE, "deactivated"), status_code=303)


@admin_users.post("/users/{user_id}/activate")
def admin_activate(request: Request, db: SessionDep, admin: CurrentSuperAdmin, user_id: int) -> Response:
    """Let a deactivated admin sign in again."""
    accounts.set_admin_active(db, actor=admin, user_id=user_id, active=True)
    return RedirectResponse(with_done(BASE, "activated"), status_code=303)


@admin_users.post("/users/{user_id}/reset")
def admin_send_reset(request: Request, db: SessionDep, admin: CurrentSuperAdmin, user_id: int) -> Response:
    """E-mail the admin a password reset link, and show it once to hand over."""
    platform_id = db.scalar(select(Platform.id).where(Platform.code == get_settings().main_platform_code))
    try:
        link = accounts.send_admin_reset_link(db, actor=admin, user_id=user_id, platform_id=platform_id)
    except accounts.AccountInputError as exc:
        return _page(request, db, admin, errors=exc.field_messages(request.state.language), status=422)
    target = db.get(User, user_id)
    handover = {"kind": "reset", "email": target.email, "link": link, "hours": str(accounts.RESET_HOURS)}
    return _page(request, db, admin, handover=handover)
