"""Store dashboard pages of the core module: sign-in, sign-out and the store's home."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import Response

from modules.core.routes.pages.audit_views import store_audit
from modules.core.routes.pages.password_views import store_password
from modules.core.routes.pages.profile_views import store_profile
from modules.core.routes.pages.settings_views import store_settings
from modules.core.routes.pages.support_views import store_support
from modules.core.routes.pages.team_views import store_team
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
from orion_server.dashboards import store_widgets
from orion_server.deps import AnyMember, CurrentStore, SessionDep
from orion_server.modules.context import get_store_context
from orion_server.modules.enums import FrontendType
from orion_server.routing import ModuleRouter
from orion_server.templating import render

router = ModuleRouter()


@router.get("/{store_code}/login")
def store_login_form(request: Request, store_code: str, db: SessionDep, store: CurrentStore) -> Response:
    """The store staff sign-in form."""
    return render_login(request, db, FrontendType.STORE, f"/store/{store.code}/login")


@router.post("/{store_code}/login")
def store_login(
    request: Request,
    store_code: str,
    db: SessionDep,
    store: CurrentStore,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    """Check the credentials of a member of this store and start a session."""
    action = f"/store/{store.code}/login"
    try:
        signed_in = sign_in_service.sign_in_store(
            db,
            store_id=store.id,
            email=email,
            password=password,
            days=get_settings().session_days,
            ip=request.client.host if request.client else None,
            agent=request.headers.get("user-agent"),
        )
    except SIGN_IN_REFUSALS as exc:
        return login_failed(request, db, FrontendType.STORE, action, email, exc)
    return finish_login(signed_in.token, safe_next(next, f"/store/{store.code}/"))


@router.post("/{store_code}/logout")
def store_logout(request: Request, store_code: str, db: SessionDep, store: CurrentStore) -> Response:
    """End the session."""
    sign_in_service.sign_out(db, token=request.cookies.get(SESSION_COOKIE))
    return finish_logout(f"/store/{store.code}/login?signed_out=1")


@router.get("/{store_code}/")
def store_home(request: Request, store_code: str, db: SessionDep, staff: AnyMember) -> Response:
    """The store's dashboard home: every member lands here; with ``core.dashboard.view`` it shows
    the widgets of every module enabled here (those the member may see), then where to go next."""
    widgets = [] if not staff.can("core.dashboard.view") else [
        widget
        for widget in store_widgets(
            db, platform_id=staff.store.platform_id, store_id=staff.store.id, language=request.state.language
        )
        if not getattr(widget, "permission", None) or staff.can(widget.permission)
    ]
    context = get_store_context(request, db, active="home", role=staff.role, widgets=widgets)
    context["page_title"] = context["t"]("core.store_home.title")
    return render(request, "core/store/home.html", context)


router.include_router(store_profile)
router.include_router(store_password)
router.include_router(store_audit)
router.include_router(store_team)
router.include_router(store_settings)
router.include_router(store_support)
