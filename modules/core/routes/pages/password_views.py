"""A forgotten password, for admins (``/admin/forgot``) and store members
(``/store/{store}/forgot``): ask for a link by e-mail, then choose a new password with it.

Mounted by ``admin.py`` and ``store.py`` (``include_router``), so the module gate and the CSRF
check apply. The answer is the same whether or not the address has an account, and an account
gets at most three links an hour, so the form can neither probe for accounts nor flood a mailbox.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from orion_server import accounts
from orion_server.auth.login_tokens import PASSWORD_RESET, token_is_live
from orion_server.config import get_settings
from orion_server.deps import CurrentStore, SessionDep
from orion_server.errors import AuthenticationError
from orion_server.models import Platform
from orion_server.modules.context import get_context_for_frontend
from orion_server.modules.enums import FrontendType
from orion_server.routing import ModuleRouter
from orion_server.templating import render

admin_password = ModuleRouter()
store_password = ModuleRouter()
Text = Annotated[str, Form()]


def _page(request: Request, db: Session, frontend: FrontendType, base: str, mode: str, *, status: int = 200,
          errors: dict[str, str] | None = None, **values: object) -> Response:
    title = "core.password.forgot_title" if mode == "forgot" else "core.password.reset_title"
    context = get_context_for_frontend(frontend, request, db, base=base, mode=mode, errors=errors or {}, **values)
    context["page_title"] = context["t"](title)
    return render(request, "core/password.html", context, status_code=status)


def _main_platform_id(db: Session) -> int | None:
    return db.scalar(select(Platform.id).where(Platform.code == get_settings().main_platform_code))


def _reset_form(request: Request, db: Session, frontend: FrontendType, base: str, token: str) -> Response:
    live = token_is_live(db, token, purpose=PASSWORD_RESET)
    return _page(request, db, frontend, base, "reset", token=token, link_dead=not live, status=200 if live else 400)


def _reset(request: Request, db: Session, frontend: FrontendType, base: str, token: str, new: str, repeat: str) -> Response:
    try:
        accounts.reset_password(db, token=token, new=new, repeat=repeat)
    except AuthenticationError:
        return _page(request, db, frontend, base, "reset", token=token, link_dead=True, status=400)
    except accounts.AccountInputError as exc:
        return _page(request, db, frontend, base, "reset", token=token, link_dead=False, status=422,
                     errors=exc.field_messages(request.state.language))
    return RedirectResponse(f"{base}/login?reset=1", status_code=303)


# -- admin ------------------------------------------------------------------------------------


@admin_password.get("/forgot")
def admin_forgot_form(request: Request, db: SessionDep) -> Response:
    """Ask for a reset link."""
    return _page(request, db, FrontendType.ADMIN, "/admin", "forgot", sent=False)


@admin_password.post("/forgot")
def admin_forgot(request: Request, db: SessionDep, email: Text = "") -> Response:
    """Send a reset link if an admin has this address; the answer is the same either way."""
    platform_id = _main_platform_id(db)
    if platform_id is not None:
        accounts.request_password_reset(
            db, email=email, platform_id=platform_id, store_id=None, base_path="/admin",
            place_name=get_settings().project_name,
        )
    return _page(request, db, FrontendType.ADMIN, "/admin", "forgot", sent=True)


@admin_password.get("/reset")
def admin_reset_form(request: Request, db: SessionDep, token: str = "") -> Response:
    """Choose a new password with a reset link."""
    return _reset_form(request, db, FrontendType.ADMIN, "/admin", token)


@admin_password.post("/reset")
def admin_reset(request: Request, db: SessionDep, token: Text = "", new_password: Text = "",
                repeat_password: Text = "") -> Response:
    """Set the new password; every session ends; on to sign-in."""
    return _reset(request, db, FrontendType.ADMIN, "/admin", token, new_password, repeat_password)


# -- store dashboard --------------------------------------------------------------------------


@store_password.get("/{store_code}/forgot")
def store_forgot_form(request: Request, store_code: str, db: SessionDep, store: CurrentStore) -> Response:
    """Ask for a reset link."""
    return _page(request, db, FrontendType.STORE, f"/store/{store_code}", "forgot", sent=False)


@store_password.post("/{store_code}/forgot")
def store_forgot(request: Request, store_code: str, db: SessionDep, store: CurrentStore, email: Text = "") -> Response:
    """Send a reset link if a member of this store has this address; the same answer either way."""
    accounts.request_password_reset(
        db, email=email, platform_id=store.platform_id, store_id=store.id, base_path=f"/store/{store_code}",
        place_name=store.name,
    )
    return _page(request, db, FrontendType.STORE, f"/store/{store_code}", "forgot", sent=True)


@store_password.get("/{store_code}/reset")
def store_reset_form(request: Request, store_code: str, db: SessionDep, store: CurrentStore, token: str = "") -> Response:
    """Choose a new password with a reset link."""
    return _reset_form(request, db, FrontendType.STORE, f"/store/{store_code}", token)


@store_password.post("/{store_code}/reset")
def store_reset(request: Request, store_code: str, db: SessionDep, store: CurrentStore, token: Text = "",
                new_password: Text = "", repeat_password: Text = "") -> Response:
    """Set the new password; every session ends; on to sign-in."""
    return _reset(request, db, FrontendType.STORE, f"/store/{store_code}", token, new_password, repeat_password)
