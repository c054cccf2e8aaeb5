"""Store dashboard pages of the catalog's categories: the tree with product counts, the
editor (names per language, address, parent, position), moving up and down, deletion.

Deleting a category never deletes anything else: its sub-categories move up one level and its
products stay, without a category. The confirmation page says so with the numbers.
Mounted by ``store.py`` (``include_router``), so the module gate and CSRF check apply.
"""

from __future__ import annotations

from typing import Any

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from modules.catalog.exceptions import field_messages
from modules.catalog.models import Category
from modules.catalog.services import catalog_service
from orion_server.config import SUPPORTED_LANGUAGES
from orion_server.deps import (
    SessionDep,
    StaffContext,
    StaffWith,
    not_found_as_404,
)
from orion_server.errors import OrionError
from orion_server.flash import flash_for, with_done
from orion_server.forms import PostedForm, form_text
from orion_server.i18n import t
from orion_server.modules.context import get_store_context
from orion_server.routing import ModuleRouter
from orion_server.templating import render

categories_router = ModuleRouter(dependencies=[Depends(not_found_as_404)])

ACTIVE = "catalog-categories"
FLASHES = {"created", "saved", "deleted", "moved"}


def _base(staff: StaffContext) -> str:
    return f"/store/{staff.store.code}/categories"


def _languages(staff: StaffContext) -> list[str]:
    """Every supported language, the store's default first (its name is required)."""
    default = staff.store.default_language
    return sorted(SUPPORTED_LANGUAGES, key=lambda language: language != default)


def _parent_options(
    request: Request, db: SessionDep, staff: StaffContext, category: Category | None
) -> list[tuple[str, str]]:
    """The top level and every category, indented; a category's own branch is left out
    (it cannot be its own parent nor a descendant's child)."""
    language = request.state.language
    excluded: set[int] = set()
    if category is not None:
        excluded = set(
            catalog_service.branch_ids(db, store_id=staff.store.id, category_id=category.id)
        )
    options = [("", t("catalog.categories.top_level", language))]
    for row, depth in catalog_service.category_tree(db, store_id=staff.store.id):
        if row.id in excluded:
            continue
        name = row.name_for(language, staff.store.default_language)
        options.append((str(row.id), "— " * depth + name))
    return options


def _values_of(category: Category) -> dict[str, Any]:
    return {
        "slug": category.slug,
        "parent_id": str(category.parent_id or ""),
        "position": str(category.position),
        "names": {tr.language: tr.name for tr in category.translations},
    }


def _blank(db: SessionDep, staff: StaffContext, parent: str) -> dict[str, Any]:
    """A new category goes last among the top categories (or the chosen parent's children)."""
    parent_id = int(parent) if parent.isdigit() else None
    siblings = [
        c
        for c in catalog_service.list_categories(db, store_id=staff.store.id)
        if c.parent_id == parent_id
    ]
    position = max((c.position for c in siblings), default=-1) + 1
    return {
        "slug": "",
        "parent_id": str(parent_id or ""),
        "position": str(position),
        "names": {},
    }


def _form_values(form: FormData, languages: list[str]) -> dict[str, Any]:
    return {
        "slug": form_text(form, "slug", strip=True),
        "parent_id": form_text(form, "parent_id", strip=True),
        "position": form_text(form, "position", strip=True),
        "names": {language: form_text(form, f"name_{language}", strip=True) for language in languages},
    }


def _render_form(
    request: Request,
    db: SessionDep,
    staff: StaffContext,
    *,
    values: dict[str, Any],
    category: Category | None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    language = request.state.language
    base = _base(staff)
    context = get_store_context(
        request,
        db,
        page_title=t(
            "catalog.categories.edit_title" if category else "catalog.categories.new_title",
            language,
        ),
        active=ACTIVE,
        values=values,
        errors=errors or {},
        category=category,
        action=f"{base}/{category.id}/edit" if category else f"{base}/new",
        base=base,
        languages=_languages(staff),
        default_language=staff.store.default_language,
        parent_options=_parent_options(request, db, staff, category),
        can_delete=staff.can("catalog.delete"),
    )
    return render(request, "catalog/store/category_form.html", context, status_code=status_code)


def _save(
    request: Request,
    db: SessionDep,
    staff: StaffContext,
    form: FormData,
    category: Category | None,
) -> Response:
    values = _form_values(form, _languages(staff))
    try:
        catalog_service.save_category(
            db,
            store_id=staff.store.id,
            category_id=category.id if category else None,
            slug=values["slug"],
            names=values["names"],
            default_language=staff.store.default_language,
            parent_id=values["parent_id"] or None,
            position=values["position"],
        )
    except OrionError as exc:
        if exc.status >= 500 or exc.status == 404:
            raise
        db.rollback()
        if category is not None:
            category = catalog_service.get_category(
                db, store_id=staff.store.id, category_id=category.id
            )
        return _render_form(
            request,
            db,
            staff,
            values=values,
            category=category,
            errors=field_messages(exc, request.state.language),
            status_code=exc.status,
        )
    done = "saved" if category else "created"
    return RedirectResponse(with_done(_base(staff), done), status_code=303)


@categories_router.get("/{store_code}/categories")
def category_list(request: Request, db: SessionDep, staff: StaffWith("catalog.view"), done: str = "") -> Response:
    """The store's categories as an indented tree with their product counts."""
    language = request.state.language
    context = get_store_context(
        request,
        db,
        page_title=t("catalog.categories.title", language),
        active=ACTIVE,
        rows=catalog_service.category_rows(db, store_id=staff.store.id),
        base=_base(staff),
        products_base=f"/store/{staff.store.code}/products",
        default_language=staff.store.default_language,
        can_create=staff.can("catalog.create"),
        can_edit=staff.can("catalog.edit"),
        can_delete=staff.can("catalog.delete"),
        flash=flash_for(done, prefix="catalog.categories.flash.", allowed=FLASHES, language=language),
    )
    return render(request, "catalog/store/categories.html", context)


@categories_router.get("/{store_code}/categories/new")
def new_category_form(
    request: Request, db: SessionDep, staff: StaffWith("catalog.create"), parent: str = ""
) -> Response:
    """An empty category editor (``?parent=<id>`` preselects the parent)."""
    return _render_form(request, db, staff, values=_blank(db, staff, parent), category=None)


@categories_router.post("/{store_code}/categories/new")
def create_category(request: Request, db: SessionDep, staff: StaffWith("catalog.create"), form: PostedForm) -> Response:
    """Create a category; the form comes back with messages when something is wrong."""
    return _save(request, db, staff, form, None)


@categories_router.get("/{store_code}/categories/{category_id}/edit")
def edit_category_form(
    request: Request, category_id: int, db: SessionDep, staff: StaffWith("catalog.edit")
) -> Response:
    """The editor filled with one of the store's categories."""
    category = catalog_service.get_category(db, store_id=staff.store.id, category_id=category_id)
    return _render_form(request, db, staff, values=_values_of(category), category=category)


@categories_router.post("/{store_code}/categories/{category_id}/edit")
def update_category(
    request: Request, category_id: int, db: SessionDep, staff: StaffWith("catalog.edit"), form: PostedForm
) -> Response:
    """Save a category (a parent inside its own branch is refused with a message)."""
    category = catalog_service.get_category(db, store_id=staff.store.id, category_id=category_id)
    return _save(request, db, staff, form, category)


@categories_router.post("/{store_code}/categories/{category_id}/move")
def move_category(category_id: int, db: SessionDep, staff: StaffWith("catalog.edit"), form: PostedForm) -> Response:
    """Move a category one place up or down among its siblings."""
    direction = "up" if form_text(form, "direction", strip=True) == "up" else "down"
    catalog_service.move_category(
        db, store_id=staff.store.id, category_id=category_id, direction=direction
    )
    return RedirectResponse(with_done(_base(staff), "moved"), status_code=303)


@categories_router.get("/{store_code}/categories/{category_id}/delete")
def delete_category_confirmation(
    request: Request, category_id: int, db: SessionDep, staff: StaffWith("catalog.delete")
) -> Response:
    """Ask before deleting, saying where the sub-categories go and what the products keep."""
    language = request.state.language
    category = catalog_service.get_category(db, store_id=staff.store.id, category_id=category_id)
    row = next(
        r
        for r in catalog_service.category_rows(db, store_id=staff.store.id)
        if r.category.id == category.id
    )
    default = staff.store.default_language
    parent = (
        catalog_service.get_category(db, store_id=staff.store.id, category_id=category.parent_id)
        if category.parent_id
        else None
    )
    context = get_store_context(
        request,
        db,
        page_title=t("catalog.categories.delete_title", language),
        active=ACTIVE,
        category=category,
        name=category.name_for(language, default),
        row=row,
        parent_name=parent.name_for(language, default) if parent else None,
        base=_base(staff),
    )
    return render(request, "catalog/store/category_delete.html", context)


@categories_router.post("/{store_code}/categories/{category_id}/delete")
def delete_category(category_id: int, db: SessionDep, staff: StaffWith("catalog.delete")) -> Response:
    """Delete a category; sub-categories move up, products stay without it."""
    catalog_service.delete_category(db, store_id=staff.store.id, category_id=category_id)
    return RedirectResponse(with_done(_base(staff), "deleted"), status_code=303)
