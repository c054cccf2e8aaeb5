"""Support access pages of a store (``/store/{store}/support-access``): where an admin says why
they enter the store's dashboard, and ends it. Mounted by ``store.py``; the framework's
``get_staff`` sends an admin here from any store page they open without running access."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response

from modules.core.routes.sign_in_views import safe_next
from orion_server import support_access
from orion_server.deps import CurrentStore, SessionDep, SupportEntrant
from orion_server.modules.context import get_store_context
from orion_server.routing import ModuleRouter
from orion_server.templating import render

store_support = ModuleRouter()


def _running(request: Request, db: SessionDep, admin_id: int, store_id: int):
    session = getattr(request.state, "user_session", None)
    return support_access.active_access(db, user_id=admin_id, session_id=session.id if session else None,
                                        store_id=store_id)


def _page(request: Request, db: SessionDep, store, admin, *, next_path: str, reason: str = "",
          errors: dict[str, str] | None = None, status: int = 200) -> Response:
    context = get_store_context(
        request, db, admin=admin, running=_running(request, db, admin.id, store.id), next_path=next_path,
        reason=reason, errors=errors or {}, minutes=support_access.SUPPORT_MINUTES,
        reason_max=support_access.REASON_MAX,
    )
    context["page_title"] = context["t"]("core.support.title", store=store.name)
    return render(request, "core/store/support_access.html", context, status_code=status)


@store_support.get("/{store_code}/support-access")
def support_access_page(
    request: Request, store_code: str, db: SessionDep, admin: SupportEntrant, store: CurrentStore, next: str = ""
) -> Response:
    """Why the admin is entering this store: the form that starts support access."""
    return _page(request, db, store, admin, next_path=safe_next(next, f"/store/{store.code}/"))


@store_support.post("/{store_code}/support-access")
def start_support_access(
    request: Request,
    store_code: str,
    db: SessionDep,
    admin: SupportEntrant,
    store: CurrentStore,
    reason: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    """Start support access (recorded with the reason), then open the page the admin wanted."""
    target = safe_next(next, f"/store/{store.code}/")
    session = request.state.user_session
    try:
        support_access.start(db, admin=admin, session_id=session.id, store=store, reason=reason)
    except support_access.SupportInputError as exc:
        db.rollback()
        return _page(request, db, store, admin, next_path=target, reason=reason,
                     errors=exc.field_messages(request.state.language), status=422)
    return RedirectResponse(target, status_code=303)


@store_support.post("/{store_code}/support-access/end")
def end_support_access(
    request: Request, store_code: str, db: SessionDep, admin: SupportEntrant, store: CurrentStore
) -> Response:
    """End support access and go back to the store's page in the admin."""
    session = getattr(request.state, "user_session", None)
    support_access.end(db, admin=admin, session_id=session.id if session else None, store=store)
    return RedirectResponse(f"/admin/stores/{store.code}", status_code=303)
