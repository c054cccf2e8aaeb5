"""Store dashboard pages of the Content module: the store's pages, creating and editing them."""

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
from orion_server.deps import (
    SessionDep,
    StaffContext,
    StaffWith,
    not_found_as_404,
)
from orion_server.errors import OrionError
from orion_server.flash import with_done
from orion_server.forms import PostedForm
from orion_server.i18n import t
from orion_server.modules.context import get_store_context
from orion_server.routing import ModuleRouter
from orion_server.templating import render

router = ModuleRouter(dependencies=[Depends(not_found_as_404)])

ACTIVE = "cms-content"


def _base(staff: StaffContext) -> str:
    return f"/store/{staff.store.code}/content"


def _storefront_root(request: Request, staff: StaffContext) -> str:
    platform = request.state.platform
    return f"/platforms/{platform.code}/storefront/{staff.store.code}/"


def _languages(staff: StaffContext) -> list[str]:
    return ordered_languages(staff.store.languages, staff.store.default_language)


def _render_form(
    request: Request,
    db: SessionDep,
    staff: StaffContext,
    *,
    values: dict[str, Any],
    page: ContentPage | None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    language = request.state.language
    title_key = "cms.form.edit_title" if page else "cms.form.new_title"
    action = f"{_base(staff)}/{page.id}/edit" if page else f"{_base(staff)}/new"
    context = get_store_context(
        request,
        db,
        page_title=t(title_key, language),
        active=ACTIVE,
        values=values,
        errors=errors or {},
        page=page,
        action=action,
        cancel_url=_base(staff),
        languages=_languages(staff),
        default_language=staff.store.default_language,
        can_publish=staff.can("cms.pages.publish"),
        status_options=status_options(language),
    )
    return render(request, "cms/store/form.html", context, status_code=status_code)


@router.get("/{store_code}/content")
def content_pages(request: Request, db: SessionDep, staff: StaffWith("cms.pages.view"), done: str = "") -> Response:
    """The store's own pages and the platform pages its storefront shows."""
    language = request.state.language
    store = staff.store
    pages = content_page_service.list_store_pages(
        db, platform_id=store.platform_id, store_id=store.id
    )
    platform_pages = content_page_service.list_platform_pages(db, platform_id=store.platform_id)
    own_slugs = {p.slug for p in pages}
    context = get_store_context(
        request,
        db,
        page_title=t("cms.store.title", language),
        active=ACTIVE,
        pages=pages,
        inherited=[p for p in platform_pages if p.slug not in own_slugs],
        platform_slugs={p.slug for p in platform_pages},
        base=_base(staff),
        storefront_root=_storefront_root(request, staff),
        can_edit=staff.can("cms.pages.edit"),
        can_publish=staff.can("cms.pages.publish"),
        flash=flash_for(done, language),
    )
    return render(request, "cms/store/list.html", context)


@router.get("/{store_code}/content/new")
def new_page_form(request: Request, db: SessionDep, staff: StaffWith("cms.pages.edit"), slug: str = "") -> Response:
    """An empty editor (``?slug=about`` prepares an override of the platform's page)."""
    return _render_form(
        request, db, staff, values=blank_values(slug.strip().lower()[:100]), page=None
    )


@router.post("/{store_code}/content/new")
def create_page(request: Request, db: SessionDep, staff: StaffWith("cms.pages.edit"), form: PostedForm) -> Response:
    """Create a store page; the form comes back with messages when something is wrong."""
    data = form_to_input(form, _languages(staff), can_publish=staff.can("cms.pages.publish"))
    try:
        content_page_service.create_page(
            db,
            platform_id=staff.store.platform_id,
            store_id=staff.store.id,
            default_language=staff.store.default_language,
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
            staff,
            values=input_to_values(data),
            page=None,
            errors=errors,
            status_code=exc.status,
        )
    return RedirectResponse(with_done(_base(staff), "created"), status_code=303)


@router.get("/{store_code}/content/{page_id}/edit")
def edit_page_form(request: Request, page_id: int, db: SessionDep, staff: StaffWith("cms.pages.edit")) -> Response:
    """The editor filled with one of the store's pages."""
    page = content_page_service.get_page(db, page_id=page_id, store_id=staff.store.id)
    return _render_form(request, db, staff, values=page_to_values(page), page=page)


@router.post("/{store_code}/content/{page_id}/edit")
def update_page(
    request: Request, page_id: int, db: SessionDep, staff: StaffWith("cms.pages.edit"), form: PostedForm
) -> Response:
    """Save a store page."""
    page = content_page_service.get_page(db, page_id=page_id, store_id=staff.store.id)
    data = form_to_input(form, _languages(staff), can_publish=staff.can("cms.pages.publish"))
    try:
        content_page_service.update_page(
            db,
            page_id=page_id,
            store_id=staff.store.id,
            default_language=staff.store.default_language,
            **data,
        )
    except OrionError as exc:
        if exc.status >= 500 or exc.status == 404:
            raise
        db.rollback()
        page = content_page_service.get_page(db, page_id=page_id, store_id=staff.store.id)
        errors = field_messages(exc, request.state.language)
        return _render_form(
            request,
            db,
            staff,
            values=input_to_values(data),
            page=page,
            errors=errors,
            status_code=exc.status,
        )
    return RedirectResponse(with_done(_base(staff), "saved"), status_code=303)


@router.post("/{store_code}/content/{page_id}/delete")
def delete_page(page_id: int, db: SessionDep, staff: StaffWith("cms.pages.edit")) -> Response:
    """Delete a store page (the platform's page of that slug shows again)."""
    content_page_service.delete_page(db, page_id=page_id, store_id=staff.store.id)
    return RedirectResponse(with_done(_base(staff), "deleted"), status_code=303)


@router.post("/{store_code}/content/{page_id}/publish")
def publish_page(page_id: int, db: SessionDep, staff: StaffWith("cms.pages.publish")) -> Response:
    """Publish a store page now."""
    content_page_service.publish(db, page_id=page_id, store_id=staff.store.id)
    return RedirectResponse(with_done(_base(staff), "published"), status_code=303)


@router.post("/{store_code}/content/{page_id}/unpublish")
def unpublish_page(page_id: int, db: SessionDep, staff: StaffWith("cms.pages.publish")) -> Response:
    """Take a store page offline."""
    content_page_service.unpublish(db, page_id=page_id, store_id=staff.store.id)
    return RedirectResponse(with_done(_base(staff), "unpublished"), status_code=303)
