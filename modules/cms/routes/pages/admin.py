"""Admin pages of the Content module: a platform's own pages (``?platform=code`` picks one of
the admin's reach; pages of other platforms answer 404)."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response

from modules.cms.exceptions import field_messages
from modules.cms.models import ContentPage
from modules.cms.routes.editor import (
    blank_values,
    flash_for,
    form_to_input,
    input_to_values,
    ordered_languages,
    page_to_values,
    status_options,
)
from modules.cms.services import content_page_service
from orion_server.config import SUPPORTED_LANGUAGES, get_settings
from orion_server.deps import AdminReach, Reach, SessionDep, not_found_as_404
from orion_server.errors import OrionError
from orion_server.flash import with_done
from orion_server.forms import PostedForm
from orion_server.i18n import t
from orion_server.models import Platform
from orion_server.modules.context import get_admin_context
from orion_server.routing import ModuleRouter
from orion_server.templating import render

router = ModuleRouter(dependencies=[Depends(not_found_as_404)])

ACTIVE = "cms-content"
BASE = "/admin/content"


def _platform_root(platform: Platform) -> str:
    if platform.code == get_settings().main_platform_code:
        return "/"
    return f"/platforms/{platform.code}/"


def _languages(platform: Platform) -> list[str]:
    return ordered_languages(list(SUPPORTED_LANGUAGES), platform.default_language)


def _render_form(
    request: Request,
    db: SessionDep,
    platform: Platform,
    *,
    values: dict[str, Any],
    page: ContentPage | None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    language = request.state.language
    title_key = "cms.form.edit_title" if page else "cms.form.new_title"
    action = f"{BASE}/{page.id}/edit" if page else f"{BASE}/new?platform={platform.code}"
    context = get_admin_context(
        request,
        db,
        page_title=t(title_key, language),
        active=ACTIVE,
        values=values,
        errors=errors or {},
        page=page,
        action=action,
        cancel_url=f"{BASE}?platform={platform.code}",
        languages=_languages(platform),
        default_language=platform.default_language,
        can_publish=True,
        status_options=status_options(language),
        edited_platform=platform,
    )
    return render(request, "cms/admin/form.html", context, status_code=status_code)


def _platform_page(db: SessionDep, page_id: int, reach: AdminReach) -> tuple[ContentPage, Platform]:
    """A platform page of a platform in the admin's reach (NotFoundError otherwise)."""
    page = content_page_service.get_page(db, page_id=page_id, store_id=None)
    reach.check(page.platform_id)
    return page, db.get(Platform, page.platform_id)


def _back(platform_code: str, done: str) -> RedirectResponse:
    return RedirectResponse(with_done(f"{BASE}?platform={platform_code}", done), status_code=303)


@router.get("/content")
def content_pages(
    request: Request, db: SessionDep, reach: Reach, platform: str = "", done: str = ""
) -> Response:
    """The platform's pages, published or not."""
    chosen = reach.chosen_platform(db, request, platform)
    language = request.state.language
    pages = content_page_service.list_platform_pages(
        db, platform_id=chosen.id, include_unpublished=True
    )
    context = get_admin_context(
        request,
        db,
        page_title=t("cms.admin.title", language),
        active=ACTIVE,
        pages=pages,
        platforms=reach.platforms(db),
        edited_platform=chosen,
        platform_root=_platform_root(chosen),
        base=BASE,
        flash=flash_for(done, language),
    )
    return render(request, "cms/admin/list.html", context)


@router.get("/content/new")
def new_page_form(
    request: Request, db: SessionDep, reach: Reach, platform: str = ""
) -> Response:
    """An empty editor for a platform page."""
    chosen = reach.chosen_platform(db, request, platform)
    return _render_form(request, db, chosen, values=blank_values(), page=None)


@router.post("/content/new")
def create_page(
    request: Request, db: SessionDep, reach: Reach, form: PostedForm, platform: str = ""
) -> Response:
    """Create a platform page; the form comes back with messages when something is wrong."""
    chosen = reach.chosen_platform(db, request, platform)
    data = form_to_input(form, _languages(chosen), can_publish=True)
    try:
        content_page_service.create_page(
            db,
            platform_id=chosen.id,
            store_id=None,
            default_language=chosen.default_language,
            **data,
        )
    except OrionError as exc:
        if exc.status >= 500 or exc.status == 404:
            raise
        db.rollback()
        errors = field_messages(exc, request.state.language)
        return _render_form(
            request,
            db,
            chosen,
            values=input_to_values(data),
            page=None,
            errors=errors,
            status_code=exc.status,
        )
    return _back(chosen.code, "created")


@router.get("/content/{page_id}/edit")
def edit_page_form(request: Request, page_id: int, db: SessionDep, reach: Reach) -> Response:
    """The editor filled with a platform page."""
    page, platform = _platform_page(db, page_id, reach)
    return _render_form(request, db, platform, values=page_to_values(page), page=page)


@router.post("/content/{page_id}/edit")
def update_page(
    request: Request, page_id: int, db: SessionDep, reach: Reach, form: PostedForm
) -> Response:
    """Save a platform page."""
    page, platform = _platform_page(db, page_id, reach)
    data = form_to_input(form, _languages(platform), can_publish=True)
    try:
        content_page_service.update_page(
            db, page_id=page_id, store_id=None, default_language=platform.default_language, **data
        )
    except OrionError as exc:
        if exc.status >= 500 or exc.status == 404:
            raise
        db.rollback()
        page, platform = _platform_page(db, page_id, reach)
        errors = field_messages(exc, request.state.language)
        return _render_form(
            request,
            db,
            platform,
            values=input_to_values(data),
            page=page,
            errors=errors,
            status_code=exc.status,
        )
    return _back(platform.code, "saved")


@router.post("/content/{page_id}/delete")
def delete_page(page_id: int, db: SessionDep, reach: Reach) -> Response:
    """Delete a platform page."""
    _page, platform = _platform_page(db, page_id, reach)
    content_page_service.delete_page(db, page_id=page_id, store_id=None)
    return _back(platform.code, "deleted")


@router.post("/content/{page_id}/publish")
def publish_page(page_id: int, db: SessionDep, reach: Reach) -> Response:
    """Publish a platform page now."""
    _page, platform = _platform_page(db, page_id, reach)
    content_page_service.publish(db, page_id=page_id, store_id=None)
    return _back(platform.code, "published")


@router.post("/content/{page_id}/unpublish")
def unpublish_page(page_id: int, db: SessionDep, reach: Reach) -> Response:
    """Take a platform page offline."""
    _page, platform = _platform_page(db, page_id, reach)
    content_page_service.unpublish(db, page_id=page_id, store_id=None)
    return _back(platform.code, "unpublished")
