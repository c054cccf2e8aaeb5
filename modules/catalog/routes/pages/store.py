"""Store dashboard pages of the catalog: product list, editor, deletion, pictures, CSV export."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import Depends, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from modules.catalog.exceptions import CatalogInputError, Problem, field_messages
from modules.catalog.models import Product
from modules.catalog.routes.common import ordered_languages
from modules.catalog.routes.pages.store_categories import categories_router
from modules.catalog.services import catalog_service
from modules.catalog.services.catalog_service import options_text
from modules.catalog.services.media import (
    MAX_IMAGE_BYTES,
    MAX_IMAGE_PIXELS,
    MAX_IMAGE_SIDE,
    variant_width,
)
from modules.catalog.usage import product_count
from modules.contracts.product_catalog import AVAILABILITIES, CONDITIONS
from modules.contracts.tier_limits import PRODUCTS
from orion_server.deps import (
    SessionDep,
    StaffContext,
    StaffWith,
    not_found_as_404,
)
from orion_server.errors import NotFoundError, OrionError
from orion_server.features import limit_warning
from orion_server.flash import flash_for, with_done
from orion_server.forms import PostedForm, form_text
from orion_server.i18n import t
from orion_server.modules.context import get_store_context
from orion_server.money import DEFAULT_VAT_RATE, VAT_RATES, amount_text, vat_label
from orion_server.pagination import page_number
from orion_server.routing import ModuleRouter
from orion_server.templating import render

router = ModuleRouter(dependencies=[Depends(not_found_as_404)])

ACTIVE = "catalog-products"
BLANK_VARIANT_ROWS = 3
FLASHES = {
    "created",
    "saved",
    "deleted",
    "published",
    "unpublished",
    "image_added",
    "image_deleted",
}


def _base(staff: StaffContext) -> str:
    return f"/store/{staff.store.code}/products"


def _languages(staff: StaffContext) -> list[str]:
    return ordered_languages(staff.store.languages, staff.store.default_language)


def _flash(done: str, language: str) -> dict[str, str] | None:
    return flash_for(done, prefix="catalog.flash.", allowed=FLASHES, language=language)


def _category_options(
    request: Request, db: SessionDep, staff: StaffContext
) -> list[tuple[str, str]]:
    language = request.state.language
    options = [("", t("catalog.form.no_category", language))]
    for category, depth in catalog_service.category_tree(db, store_id=staff.store.id):
        options.append(
            (
                str(category.id),
                "— " * depth + category.name_for(language, staff.store.default_language),
            )
        )
    return options


# -- list ---------------------------------------------------------------------------------


@router.get("/{store_code}/products")
def product_list(request: Request, db: SessionDep, staff: StaffWith("catalog.view"), done: str = "") -> Response:
    """The store's products with search, status and category filters, paginated."""
    language = request.state.language
    params = request.query_params
    q = (params.get("q") or "").strip()[:100]
    status = params.get("status") or ""
    category_raw = params.get("category") or ""
    category_id = int(category_raw) if category_raw.isdigit() else None
    result = catalog_service.list_products(
        db,
        store_id=staff.store.id,
        q=q,
        status=status or None,
        category_id=category_id,
        page=page_number(params.get("page")),
        per_page=25,
    )
    keep = {k: v for k, v in {"q": q, "status": status, "category": category_raw}.items() if v}
    context = get_store_context(
        request,
        db,
        page_title=t("catalog.store.title", language),
        active=ACTIVE,
        result=result,
        q=q,
        status=status,
        category_id=category_raw,
        filtered=bool(keep),
        category_options=_category_options(request, db, staff),
        status_options=[("", t("catalog.status.any", language))]
        + [(s, t(f"catalog.status.{s}", language)) for s in ("draft", "published")],
        stock=catalog_service.stock_by_sku(db, store_id=staff.store.id, products=result.items),
        base=_base(staff),
        page_base=f"{_base(staff)}?{urlencode(keep)}{'&' if keep else ''}",
        default_language=staff.store.default_language,
        can_create=staff.can("catalog.create"),
        can_edit=staff.can("catalog.edit"),
        can_delete=staff.can("catalog.delete"),
        can_export=staff.can("catalog.export"),
        limit=limit_warning(db, store_id=staff.store.id, key=PRODUCTS, used=product_count(db, staff.store.id))
        if staff.can("catalog.create") else None,
        flash=_flash(done, language),
    )
    return render(request, "catalog/store/list.html", context)


@router.get("/{store_code}/products/export.csv")
def export_products(db: SessionDep, staff: StaffWith("catalog.export")) -> Response:
    """Every product of the store as a CSV file, one row per variant."""
    content = catalog_service.export_csv(db, store_id=staff.store.id, languages=_languages(staff))
    return Response(
        content.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{staff.store.code}-products.csv"'},
    )


# -- editor -------------------------------------------------------------------------------


def _blank_variant() -> dict[str, Any]:
    return {"id": "", "sku": "", "options": "", "price": "", "stock": "", "is_new": True}


def _product_values(product: Product, language: str) -> dict[str, Any]:
    return {
        "slug": product.slug,
        "status": product.status,
        "category_id": str(product.category_id or ""),
        "brand": product.brand,
        "gtin": product.gtin,
        "vat_rate": str(product.vat_rate),
        "price": amount_text(product.price_cents, language=language),
        "sale_price": amount_text(product.sale_price_cents, language=language),
        "condition": product.condition,
        "availability": product.availability or "",
        "cost": amount_text(product.cost_cents, language=language),
        "is_digital": product.is_digital,
        "tr": {
            tr.language: {"title": tr.title, "description": tr.description}
            for tr in product.translations
        },
        "variants": [
            {
                "id": str(v.id),
                "sku": v.sku,
                "options": options_text(v.options or {}),
                "price": amount_text(v.price_cents, language=language),
                "stock": "",
                "is_new": False,
            }
            for v in product.variants
        ],
    }


def _blank_values() -> dict[str, Any]:
    return {
        "slug": "",
        "status": "draft",
        "category_id": "",
        "brand": "",
        "gtin": "",
        "vat_rate": str(DEFAULT_VAT_RATE),
        "price": "",
        "sale_price": "",
        "condition": "new",
        "availability": "",
        "cost": "",
        "is_digital": False,
        "tr": {},
        "variants": [],
    }


def _form_values(form: FormData, languages: list[str]) -> dict[str, Any]:
    """What was typed, with blank variant rows dropped (so error indices match the rows)."""
    variants = []
    rows = min(
        int(form_text(form, "variant_rows", strip=True) or 0) if form_text(form, "variant_rows", strip=True).isdigit() else 0, 200
    )
    for i in range(rows):
        row = {
            "id": form_text(form, f"variant_id_{i}", strip=True),
            "sku": form_text(form, f"variant_sku_{i}", strip=True),
            "options": form_text(form, f"variant_options_{i}", strip=True),
            "price": form_text(form, f"variant_price_{i}", strip=True),
            "stock": form_text(form, f"variant_stock_{i}", strip=True),
        }
        if not (row["sku"] or row["options"] or row["price"] or row["stock"] or row["id"]):
            continue
        row["is_new"] = not row["id"]
        variants.append(row)
    return {
        "slug": form_text(form, "slug", strip=True),
        "status": form_text(form, "status", strip=True) or "draft",
        "category_id": form_text(form, "category_id", strip=True),
        "brand": form_text(form, "brand", strip=True),
        "gtin": form_text(form, "gtin", strip=True),
        "vat_rate": form_text(form, "vat_rate", strip=True) or str(DEFAULT_VAT_RATE),
        "price": form_text(form, "price", strip=True),
        "sale_price": form_text(form, "sale_price", strip=True),
        "condition": form_text(form, "condition", strip=True) or "new",
        "availability": form_text(form, "availability", strip=True),
        "cost": form_text(form, "cost", strip=True),
        "is_digital": form_text(form, "is_digital", strip=True) == "on",
        "tr": {
            lang: {
                "title": form_text(form, f"title_{lang}", strip=True),
                "description": form_text(form, f"description_{lang}", strip=True),
            }
            for lang in languages
        },
        "variants": variants,
    }


def _service_input(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "slug": values["slug"],
        "status": values["status"],
        "category_id": values["category_id"] or None,
        "brand": values["brand"],
        "gtin": values["gtin"],
        "vat_rate": values["vat_rate"],
        "price_cents": values["price"],
        "sale_price_cents": values["sale_price"] or None,
        "condition": values["condition"],
        "availability": values["availability"] or None,
        "cost_cents": values["cost"] or None,
        "is_digital": values["is_digital"],
        "translations": values["tr"],
        "variants": [
            {
                "id": v["id"] or None,
                "sku": v["sku"],
                "options": v["options"],
                "price_cents": v["price"] or None,
                "stock": v["stock"] if v["is_new"] else None,
            }
            for v in values["variants"]
        ],
    }


def _render_form(
    request: Request,
    db: SessionDep,
    staff: StaffContext,
    *,
    values: dict[str, Any],
    product: Product | None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    flash: dict[str, str] | None = None,
) -> Response:
    language = request.state.language
    rows = list(values["variants"]) + [_blank_variant() for _ in range(BLANK_VARIANT_ROWS)]
    action = f"{_base(staff)}/{product.id}/edit" if product else f"{_base(staff)}/new"
    context = get_store_context(
        request,
        db,
        page_title=t("catalog.form.edit_title" if product else "catalog.form.new_title", language),
        active=ACTIVE,
        values=values,
        variant_rows=rows,
        errors=errors or {},
        product=product,
        action=action,
        base=_base(staff),
        languages=_languages(staff),
        default_language=staff.store.default_language,
        category_options=_category_options(request, db, staff),
        vat_options=[(str(rate), vat_label(rate)) for rate in VAT_RATES],
        status_options=[(s, t(f"catalog.status.{s}", language)) for s in ("draft", "published")],
        condition_options=[(c, t(f"catalog.condition.{c}", language)) for c in CONDITIONS],
        availability_options=[("", t("catalog.availability.auto", language))]
        + [(a, t(f"catalog.availability.{a}", language)) for a in AVAILABILITIES],
        margin=catalog_service.margin(product) if product is not None else None,
        max_image_mb=MAX_IMAGE_BYTES // (1024 * 1024),
        max_image_side=MAX_IMAGE_SIDE,
        max_image_megapixels=MAX_IMAGE_PIXELS // 1_000_000,
        can_delete=staff.can("catalog.delete"),
        flash=flash,
    )
    return render(request, "catalog/store/form.html", context, status_code=status_code)


def _failed(
    request: Request,
    db: SessionDep,
    staff: StaffContext,
    exc: OrionError,
    values: dict[str, Any],
    product_id: int | None,
) -> Response:
    if exc.status >= 500 or exc.status == 404:
        raise exc
    db.rollback()
    product = (
        catalog_service.get_product(db, store_id=staff.store.id, product_id=product_id)
        if product_id
        else None
    )
    errors = field_messages(exc, request.state.language)
    return _render_form(
        request, db, staff, values=values, product=product, errors=errors, status_code=exc.status
    )


@router.get("/{store_code}/products/new")
def new_product_form(request: Request, db: SessionDep, staff: StaffWith("catalog.create")) -> Response:
    """An empty product editor."""
    return _render_form(request, db, staff, values=_blank_values(), product=None)


@router.post("/{store_code}/products/new")
def create_product(request: Request, db: SessionDep, staff: StaffWith("catalog.create"), form: PostedForm) -> Response:
    """Create a product; the form comes back with messages when something is wrong."""
    values = _form_values(form, _languages(staff))
    try:
        product = catalog_service.create_product(
            db,
            store_id=staff.store.id,
            default_language=staff.store.default_language,
            actor=staff.user.email,
            **_service_input(values),
        )
    except OrionError as exc:
        return _failed(request, db, staff, exc, values, None)
    return RedirectResponse(with_done(f"{_base(staff)}/{product.id}/edit", "created"), status_code=303)


@router.get("/{store_code}/products/{product_id}/edit")
def edit_product_form(
    request: Request, product_id: int, db: SessionDep, staff: StaffWith("catalog.edit"), done: str = ""
) -> Response:
    """The editor filled with one of the store's products, with its pictures."""
    product = catalog_service.get_product(db, store_id=staff.store.id, product_id=product_id)
    return _render_form(
        request,
        db,
        staff,
        values=_product_values(product, request.state.language),
        product=product,
        flash=_flash(done, request.state.language),
    )


@router.post("/{store_code}/products/{product_id}/edit")
def update_product(
    request: Request, product_id: int, db: SessionDep, staff: StaffWith("catalog.edit"), form: PostedForm
) -> Response:
    """Save a product."""
    catalog_service.get_product(db, store_id=staff.store.id, product_id=product_id)
    values = _form_values(form, _languages(staff))
    try:
        catalog_service.update_product(
            db,
            store_id=staff.store.id,
            product_id=product_id,
            default_language=staff.store.default_language,
            actor=staff.user.email,
            **_service_input(values),
        )
    except OrionError as exc:
        return _failed(request, db, staff, exc, values, product_id)
    return RedirectResponse(with_done(_base(staff), "saved"), status_code=303)


@router.post("/{store_code}/products/{product_id}/publish")
def publish_product(product_id: int, db: SessionDep, staff: StaffWith("catalog.edit")) -> Response:
    """Show a product in the storefront."""
    catalog_service.publish(db, store_id=staff.store.id, product_id=product_id)
    return RedirectResponse(with_done(_base(staff), "published"), status_code=303)


@router.post("/{store_code}/products/{product_id}/unpublish")
def unpublish_product(product_id: int, db: SessionDep, staff: StaffWith("catalog.edit")) -> Response:
    """Take a product off the storefront."""
    catalog_service.unpublish(db, store_id=staff.store.id, product_id=product_id)
    return RedirectResponse(with_done(_base(staff), "unpublished"), status_code=303)


@router.get("/{store_code}/products/{product_id}/delete")
def delete_confirmation(
    request: Request, product_id: int, db: SessionDep, staff: StaffWith("catalog.delete")
) -> Response:
    """Ask before deleting a product."""
    product = catalog_service.get_product(db, store_id=staff.store.id, product_id=product_id)
    context = get_store_context(
        request,
        db,
        page_title=t("catalog.delete.title", request.state.language),
        active=ACTIVE,
        product=product,
        title=product.title_for(request.state.language, staff.store.default_language),
        base=_base(staff),
    )
    return render(request, "catalog/store/delete.html", context)


@router.post("/{store_code}/products/{product_id}/delete")
def delete_product(product_id: int, db: SessionDep, staff: StaffWith("catalog.delete")) -> Response:
    """Delete a product with its variants and pictures."""
    catalog_service.delete_product(db, store_id=staff.store.id, product_id=product_id)
    return RedirectResponse(with_done(_base(staff), "deleted"), status_code=303)


# -- pictures -----------------------------------------------------------------------------


@router.post("/{store_code}/products/{product_id}/images")
def upload_image(
    request: Request, product_id: int, db: SessionDep, staff: StaffWith("catalog.edit"), form: PostedForm
) -> Response:
    """Add a picture (JPEG, PNG or WebP, at most 5 MB)."""
    upload = form.get("image")
    data = b""
    filename = ""
    if isinstance(upload, UploadFile):
        filename = upload.filename or ""
        data = upload.file.read(MAX_IMAGE_BYTES + 1)
    try:
        if not data:
            raise CatalogInputError([Problem("image", "catalog.errors.image_empty")])
        catalog_service.add_image(
            db, store_id=staff.store.id, product_id=product_id, filename=filename, data=data
        )
    except OrionError as exc:
        if exc.status >= 500 or exc.status == 404:
            raise
        db.rollback()
        product = catalog_service.get_product(db, store_id=staff.store.id, product_id=product_id)
        return _render_form(
            request,
            db,
            staff,
            values=_product_values(product, request.state.language),
            product=product,
            errors=field_messages(exc, request.state.language),
            status_code=exc.status,
        )
    return RedirectResponse(with_done(f"{_base(staff)}/{product_id}/edit", "image_added"), status_code=303)


@router.post("/{store_code}/products/{product_id}/images/{image_id}/delete")
def delete_image(product_id: int, image_id: int, db: SessionDep, staff: StaffWith("catalog.edit")) -> Response:
    """Remove a picture."""
    image = catalog_service.get_image(db, store_id=staff.store.id, image_id=image_id)
    if image.product_id != product_id:
        raise NotFoundError("no such picture")
    catalog_service.delete_image(db, store_id=staff.store.id, image_id=image_id)
    return RedirectResponse(with_done(f"{_base(staff)}/{product_id}/edit", "image_deleted"), status_code=303)


@router.get("/{store_code}/products/{product_id}/images/{image_id}")
def show_image(
    product_id: int, image_id: int, db: SessionDep, staff: StaffWith("catalog.view"), size: str = ""
) -> Response:
    """A picture of one of the store's products, drafts included (``?size=320`` or ``800``
    for a resized copy)."""
    image = catalog_service.get_image(db, store_id=staff.store.id, image_id=image_id)
    if image.product_id != product_id:
        raise NotFoundError("no such picture")
    path = catalog_service.image_path(image, width=variant_width(size))
    if not path.is_file():
        raise NotFoundError("no such picture")
    return FileResponse(
        path,
        media_type=catalog_service.image_content_type(image, path),
        headers={"Cache-Control": "private, max-age=86400"},
    )


# Category pages live in their own file; mounted here, under the same module gate.
router.include_router(categories_router)
