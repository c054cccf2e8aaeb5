"""A store's settings in its dashboard: name, contact details, address, languages, VAT number
and logo. ``core.settings.view`` shows them, ``core.settings.edit`` changes them (owners hold
both; managers see them and may change them where a role grants the edit permission).

Mounted by ``store.py`` (``include_router``), so the module gate and the CSRF check apply.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from orion_server.config import LANGUAGE_NAMES, get_settings
from orion_server.deps import SessionDep, StaffContext, StaffWith
from orion_server.errors import NotFoundError
from orion_server.flash import flash_for, with_done
from orion_server.forms import PostedForm, form_text, form_texts
from orion_server.modules.context import get_store_context
from orion_server.routing import ModuleRouter
from orion_server.templating import render
from orion_server.tenancy import LOGO_MAX_BYTES, TenancyInputError, logo_path, tenancy_service

store_settings = ModuleRouter()
FLASHES = ("saved", "logo_saved", "logo_removed")
FIELDS = ("name", "contact_email", "contact_phone", "address", "vat_number", "default_language")


def _page(
    request: Request, db: Session, staff: StaffContext, *, errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None, status: int = 200,
) -> Response:
    store = tenancy_service.get_store(db, staff.store.code)
    if values is None:
        values = {name: getattr(store, name) or "" for name in FIELDS}
        values["languages"] = list(store.languages or [])
    context = get_store_context(
        request, db, active="settings", settings_store=store, values=values, errors=errors or {},
        can_edit=staff.can("core.settings.edit"),
        languages={code: LANGUAGE_NAMES[code] for code in get_settings().supported_languages},
        logo_max_mb=LOGO_MAX_BYTES // (1024 * 1024),
        flash=flash_for(request.query_params.get("done"), prefix="core.settings.flash.", allowed=FLASHES,
                        language=request.state.language),
    )
    context["page_title"] = context["t"]("core.settings.title")
    return render(request, "core/store/settings.html", context, status_code=status)


def _base(staff: StaffContext) -> str:
    return f"/store/{staff.store.code}/settings"


@store_settings.get("/{store_code}/settings")
def settings_page(request: Request, store_code: str, db: SessionDep, staff: StaffWith("core.settings.view")) -> Response:
    """The store's settings (read-only without the edit permission)."""
    return _page(request, db, staff)


@store_settings.post("/{store_code}/settings")
def save_settings(
    request: Request, store_code: str, db: SessionDep, staff: StaffWith("core.settings.edit"), form: PostedForm
) -> Response:
    """Save the store's details; every field's problem is shown at once and nothing is lost."""
    values: dict[str, Any] = {name: form_text(form, name, strip=True) for name in FIELDS}
    values["address"] = form_text(form, "address").strip()
    values["languages"] = form_texts(form, "languages")
    try:
        tenancy_service.update_store(
            db, staff.store.code, name=values["name"], languages=values["languages"],
            default_language=values["default_language"], contact_email=values["contact_email"],
            contact_phone=values["contact_phone"], address=values["address"], vat_number=values["vat_number"],
            user_id=staff.user.id,
        )
    except TenancyInputError as exc:
        return _page(request, db, staff, errors=exc.field_messages(request.state.language), values=values, status=422)
    return RedirectResponse(with_done(_base(staff), "saved"), status_code=303)


@store_settings.post("/{store_code}/settings/logo")
def upload_logo(
    request: Request, store_code: str, db: SessionDep, staff: StaffWith("core.settings.edit"), form: PostedForm
) -> Response:
    """Take a new logo."""
    upload = form.get("logo")
    data = upload.file.read(LOGO_MAX_BYTES + 1) if isinstance(upload, UploadFile) else b""
    try:
        tenancy_service.set_store_logo(db, staff.store.code, data=data, user_id=staff.user.id)
    except TenancyInputError as exc:
        return _page(request, db, staff, errors=exc.field_messages(request.state.language), status=422)
    return RedirectResponse(with_done(_base(staff), "logo_saved"), status_code=303)


@store_settings.post("/{store_code}/settings/logo/remove")
def remove_logo(request: Request, store_code: str, db: SessionDep, staff: StaffWith("core.settings.edit")) -> Response:
    """Show the store's name again in place of the logo."""
    tenancy_service.remove_store_logo(db, staff.store.code, user_id=staff.user.id)
    return RedirectResponse(with_done(_base(staff), "logo_removed"), status_code=303)


@store_settings.get("/{store_code}/settings/logo")
def logo_preview(store_code: str, db: SessionDep, staff: StaffWith("core.settings.view")) -> Response:
    """The current logo, for the settings page."""
    store = tenancy_service.get_store(db, staff.store.code)
    path = logo_path(store.id, store.logo_file)
    if path is None:
        raise NotFoundError("this store has no logo")
    return FileResponse(path, media_type="image/webp", headers={"Cache-Control": "private, no-cache"})
