"""Admin pages of the core module: sign-in, sign-out and the dashboard."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, select

from modules.core.routes.pages.admin_users_views import admin_users
from modules.core.routes.pages.audit_views import admin_audit
from modules.core.routes.pages.password_views import admin_password
from modules.core.routes.pages.profile_views import admin_profile
from modules.core.routes.sign_in_views import (
    SIGN_IN_REFUSALS,
    finish_login,
    finish_logout,
    login_failed,
    render_login,
    safe_next,
)
from modules.core.services import sign_in_service
from orion_server.auth.sessions import SESSION_COOKIE
from orion_server.config import get_settings
from orion_server.dashboards import platform_widgets
from orion_server.deps import OptionalUser, SessionDep, get_admin_reach
from orion_server.errors import AuthenticationError
from orion_server.i18n import t
from orion_server.models import AuditEntry, Store, StoreMembership, User
from orion_server.modules.context import get_admin_context
from orion_server.modules.enums import FrontendType
from orion_server.routing import ModuleRouter
from orion_server.templating import render

router = ModuleRouter()


@router.get("/login")
def admin_login_form(request: Request, db: SessionDep, user: OptionalUser) -> Response:
    """The admin sign-in form (signed-in admins go straight to the dashboard)."""
    if user is not None and user.is_admin:
        return RedirectResponse(safe_next(request.query_params.get("next"), "/admin/"), status_code=303)
    return render_login(request, db, FrontendType.ADMIN, "/admin/login")


@router.post("/login")
def admin_login(
    request: Request,
    db: SessionDep,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    """Check the credentials and start a new session."""
    try:
        signed_in = sign_in_service.sign_in_admin(
            db,
            email=email,
            password=password,
            days=get_settings().session_days,
            ip=request.client.host if request.client else None,
            agent=request.headers.get("user-agent"),
        )
    except SIGN_IN_REFUSALS as exc:
        return login_failed(request, db, FrontendType.ADMIN, "/admin/login", email, exc)
    return finish_login(signed_in.token, safe_next(next, "/admin/"))


@router.get("/auth/token")
def admin_link_sign_in(request: Request, db: SessionDep, token: str = "") -> Response:
    """A one-time sign-in link (from the console or ``orion admin-link``): a new session, then the admin."""
    try:
        signed_in = sign_in_service.sign_in_admin_with_link(
            db,
            link_token=token,
            days=get_settings().session_days,
            ip=request.client.host if request.client else None,
            agent=request.headers.get("user-agent"),
        )
    except AuthenticationError:
        return render_login(request, db, FrontendType.ADMIN, "/admin/login",
                            error=t("core.login_link_invalid", request.state.language), status=400)
    return finish_login(signed_in.token, "/admin/")


@router.post("/logout")
def admin_logout(request: Request, db: SessionDep) -> Response:
    """End the session."""
    sign_in_service.sign_out(db, token=request.cookies.get(SESSION_COOKIE))
    return finish_logout("/admin/login?signed_out=1")


@router.get("/")
def admin_dashboard(request: Request, db: SessionDep, user: OptionalUser, platform: str = "") -> Response:
    """Counts of platforms, stores and users, the widgets of the modules enabled on the chosen
    platform (the main one unless ``?platform=`` names another), and the latest changes; a
    platform admin sees their platforms only."""
    if user is None or not user.is_admin:
        return RedirectResponse("/admin/login?next=/admin/", status_code=303)
    reach = get_admin_reach(request, db, user)
    platforms = reach.platforms(db)
    chosen = next((p for p in platforms if p.code == platform), None) or next(
        (p for p in platforms if p.code == get_settings().main_platform_code), platforms[0] if platforms else None
    )
    widgets = (
        platform_widgets(db, platform_id=chosen.id, language=request.state.language) if chosen else []
    )
    recent_query = select(AuditEntry).order_by(AuditEntry.created_at.desc()).limit(10)
    stores_query = select(func.count(Store.id))
    users_query = select(func.count(User.id))
    if reach.platform_ids is not None:  # a platform admin: their platforms' log, stores and staff
        ids = list(reach.platform_ids)
        recent_query = recent_query.where(AuditEntry.platform_id.in_(ids))
        stores_query = stores_query.where(Store.platform_id.in_(ids))
        users_query = select(func.count(func.distinct(StoreMembership.user_id))).join(
            Store, Store.id == StoreMembership.store_id).where(Store.platform_id.in_(ids))
    recent = list(db.scalars(recent_query))
    context = get_admin_context(
        request,
        db,
        active="dashboard",
        platforms=platforms,
        chosen_platform=chosen,
        widgets=widgets,
        counts={
            "platforms": len(platforms),
            "stores": db.scalar(stores_query) or 0,
            "users": db.scalar(users_query) or 0,
        },
        recent=recent,
    )
    context["page_title"] = context["t"]("admin.dashboard")
    return render(request, "core/admin/dashboard.html", context)


router.include_router(admin_profile)
router.include_router(admin_password)
router.include_router(admin_users)
router.include_router(admin_audit)
