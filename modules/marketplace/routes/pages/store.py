"""The store dashboard's Letzshop page: the feed addresses per language, when the feed was
last written and how many rows it has, "write it now" and "new secret address"."""

from __future__ import annotations

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from modules.marketplace.services import feed_service
from modules.marketplace.services.feeds import FEED_LANGUAGES, storefront_root
from modules.marketplace.services.imports import IMPORT_LANGUAGES, MAX_FILE_BYTES, import_service
from modules.marketplace.tasks.feeds import schedule_generation
from modules.marketplace.tasks.imports import catalogue_import
from orion_server.config import LANGUAGE_NAMES
from orion_server.deps import SessionDep, StaffWith, not_found_as_404
from orion_server.errors import OrionError
from orion_server.flash import flash_for, with_done
from orion_server.forms import PostedForm, field_messages, form_text
from orion_server.i18n import t
from orion_server.modules.context import get_store_context
from orion_server.routing import ModuleRouter
from orion_server.templating import render

router = ModuleRouter(dependencies=[Depends(not_found_as_404)])

ACTIVE = "marketplace-letzshop"
FLASHES = {"regenerating", "new_token", "import_started", "import_cancelled"}


def _page(request: Request, db: SessionDep, staff, *, done: str = "", errors: dict[str, str] | None = None,
          values: dict[str, str] | None = None, status_code: int = 200) -> Response:
    language = request.state.language
    status = feed_service.status(db, store_id=staff.store.id)
    root = storefront_root(db, staff.store.id)
    feeds = [
        (lang, LANGUAGE_NAMES.get(lang, lang), f"{root}marketplace/feed/{status.token}/letzshop_{lang}.tsv")
        for lang in FEED_LANGUAGES
    ]
    context = get_store_context(
        request,
        db,
        page_title=t("marketplace.letzshop.title", language),
        active=ACTIVE,
        status=status,
        feeds=feeds,
        base=f"/store/{staff.store.code}/marketplace",
        flash=flash_for(done, prefix="marketplace.flash.", allowed=FLASHES, language=language),
        imports=import_service.recent(db, store_id=staff.store.id),
        import_languages=[(lang, LANGUAGE_NAMES.get(lang, lang)) for lang in IMPORT_LANGUAGES],
        errors=errors or {},
        values=values or {"language": staff.store.default_language if staff.store.default_language
                          in IMPORT_LANGUAGES else "fr"},
        max_file_mb=MAX_FILE_BYTES // (1024 * 1024),
    )
    return render(request, "marketplace/store/letzshop.html", context, status_code=status_code)


@router.get("/{store_code}/marketplace")
def letzshop_page(request: Request, db: SessionDep, staff: StaffWith("marketplace.manage"), done: str = "") -> Response:
    """The feed's addresses and state, and the catalogue imports."""
    return _page(request, db, staff, done=done)


@router.post("/{store_code}/marketplace/imports")
def start_import(request: Request, db: SessionDep, staff: StaffWith("marketplace.manage"), form: PostedForm) -> Response:
    """Keep an uploaded catalogue file and import it in the background."""
    upload = form.get("file")
    data, name = b"", ""
    if isinstance(upload, UploadFile):
        name = upload.filename or ""
        data = upload.file.read(MAX_FILE_BYTES + 1)
    language = form_text(form, "language", strip=True)
    try:
        record = import_service.start(db, store_id=staff.store.id, file_name=name, data=data, language=language,
                                      actor=staff.user.email)
    except OrionError as exc:
        if exc.status >= 500:
            raise
        db.rollback()
        return _page(request, db, staff, errors=field_messages(exc, request.state.language),
                     values={"language": language}, status_code=exc.status)
    catalogue_import(record.id)
    return RedirectResponse(with_done(f"/store/{staff.store.code}/marketplace", "import_started"), status_code=303)


@router.post("/{store_code}/marketplace/imports/{import_id}/cancel")
def cancel_import(import_id: int, db: SessionDep, staff: StaffWith("marketplace.manage")) -> Response:
    """Stop an import before its next batch."""
    import_service.cancel(db, store_id=staff.store.id, import_id=import_id)
    return RedirectResponse(with_done(f"/store/{staff.store.code}/marketplace", "import_cancelled"), status_code=303)


@router.get("/{store_code}/marketplace/imports/{import_id}/errors.csv")
def import_errors(import_id: int, db: SessionDep, staff: StaffWith("marketplace.manage")) -> Response:
    """The rows an import refused: row, column, message."""
    content = import_service.error_report(db, store_id=staff.store.id, import_id=import_id)
    return Response(content.encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="import-{import_id}-errors.csv"'})


@router.post("/{store_code}/marketplace/regenerate")
def regenerate(db: SessionDep, staff: StaffWith("marketplace.manage")) -> Response:
    """Write the feed again as soon as a worker is free."""
    feed_service.ensure_feed(db, store_id=staff.store.id)
    schedule_generation(staff.store.id, delay=0)
    return RedirectResponse(with_done(f"/store/{staff.store.code}/marketplace", "regenerating"), status_code=303)


@router.post("/{store_code}/marketplace/token")
def new_token(db: SessionDep, staff: StaffWith("marketplace.manage")) -> Response:
    """A new secret address: the old one stops answering."""
    feed_service.new_token(db, store_id=staff.store.id)
    return RedirectResponse(with_done(f"/store/{staff.store.code}/marketplace", "new_token"), status_code=303)
