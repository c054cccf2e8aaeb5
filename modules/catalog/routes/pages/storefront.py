"""Storefront pages of the catalog: the product listing (with search, categories, sorting),
category pages, product pages and product pictures."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from fastapi import Depends, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from modules.catalog.options import option_label
from modules.catalog.routes.common import sort_options
from modules.catalog.services import catalog_service, structured_data
from modules.catalog.services.media import variant_width
from modules.catalog.services.slug_history import current_slug, is_gone
from orion_server.deps import (
    CurrentStore,
    PublicPage,
    SessionDep,
    not_found_as_404,
    storefront_root,
)
from orion_server.errors import NotFoundError
from orion_server.i18n import t
from orion_server.modules.context import get_storefront_context
from orion_server.pagination import page_number
from orion_server.routing import ModuleRouter
from orion_server.seo import description_from
from orion_server.templating import render

router = ModuleRouter(dependencies=[Depends(not_found_as_404)])
PER_PAGE = 24
IMAGE_CACHE = "public, max-age=31536000, immutable"


def _moved(request: Request, db: SessionDep, store: CurrentStore, kind: str, slug: str) -> Response:
    """A 301 from a product's or category's old address to its current one; 410 Gone for the
    address of a deleted product; else a 404 (a draft product among them)."""
    current = current_slug(db, store_id=store.id, kind=kind, slug=slug)
    if current is None:
        if is_gone(db, store_id=store.id, kind=kind, slug=slug):
            raise HTTPException(status_code=410, detail="errors.gone")
        raise NotFoundError(f"no {kind} {slug!r}")
    root = storefront_root(request)
    folder = "products" if kind == "product" else "categories"
    query = f"?{request.url.query}" if request.url.query else ""
    return RedirectResponse(f"{root}{folder}/{quote(current)}{query}", status_code=301)


def _listing(
    request: Request, db: SessionDep, store: CurrentStore, *, category_slug: str | None
) -> Response:
    language = request.state.language
    params = request.query_params
    q = (params.get("q") or "").strip()[:200]
    sort = params.get("sort") or ""
    category = None
    if category_slug:
        try:
            category = catalog_service.get_category_by_slug(db, store_id=store.id, slug=category_slug)
        except NotFoundError:
            return _moved(request, db, store, "category", category_slug)
    else:
        category_param = (params.get("category") or "").strip()
        if category_param:
            category = catalog_service.get_category_by_slug(
                db, store_id=store.id, slug=category_param
            )
    result = catalog_service.list_storefront(
        db,
        store_id=store.id,
        language=language,
        category=category.slug if category else None,
        sort=sort,
        q=q,
        page=page_number(params.get("page")),
        per_page=PER_PAGE,
    )
    keep = {k: v for k, v in {"q": q, "sort": sort}.items() if v}
    if category and not category_slug:
        keep["category"] = category.slug
    base_path = f"categories/{category.slug}" if category_slug and category else "products"
    title = (
        category.name_for(language, store.default_language)
        if category
        else t("catalog.storefront.title", language)
    )
    context = get_storefront_context(
        request,
        db,
        page_title=title,
        result=result,
        q=q,
        sort=sort,
        category=category,
        categories=catalog_service.storefront_tree(
            db, store_id=store.id, language=language, default=store.default_language
        ),
        sort_options=sort_options(language),
        page_base=f"{base_path}?{urlencode(keep)}{'&' if keep else ''}",
        form_path=base_path,
        active="catalog-products",
    )
    head = context.get("seo")
    if head is not None:
        trail = [(t("catalog.storefront.all_products", language), head.site + "products")]
        if category_slug and category is not None:
            trail += [(name, head.site + f"categories/{slug}") for slug, name in
                      catalog_service.category_path(db, store_id=store.id, category_id=category.id,
                                                    language=language, default=store.default_language)]
        context["structured_data"] = [structured_data.breadcrumb_data(trail)]
    return render(request, "catalog/storefront/list.html", context)


@router.get("/products", dependencies=[PublicPage])
def product_list(request: Request, db: SessionDep, store: CurrentStore) -> Response:
    """Published products: ``?q=`` searches, ``?category=``, ``?sort=``, ``?page=``."""
    return _listing(request, db, store, category_slug=None)


@router.get("/categories/{slug}", dependencies=[PublicPage])
def category_page(request: Request, slug: str, db: SessionDep, store: CurrentStore) -> Response:
    """The published products of a category and its sub-categories."""
    return _listing(request, db, store, category_slug=slug)


@router.get("/products/{slug}", dependencies=[PublicPage])
def product_page(request: Request, slug: str, db: SessionDep, store: CurrentStore) -> Response:
    """A published product with its variants, price, VAT note and availability; the address
    it had before its slug changed answers with a permanent redirect."""
    try:
        product = catalog_service.get_product_for_storefront(
            db, store_id=store.id, slug=slug, language=request.state.language
        )
    except NotFoundError:
        return _moved(request, db, store, "product", slug)
    language = request.state.language
    context = get_storefront_context(
        request,
        db,
        page_title=product.title,
        product=product,
        option_labels={name: option_label(name, language) for name in product.option_names},
        active="catalog-products",
    )
    head = context.get("seo")
    if head is not None:
        address = head.site + f"products/{product.slug}"
        trail = [(t("catalog.storefront.all_products", language), head.site + "products")]
        trail += [(name, head.site + f"categories/{slug}") for slug, name in product.category_path]
        trail.append((product.title, address))
        images = structured_data.image_addresses(product, head.site)
        context.update(
            seo_type="product",
            seo_description=description_from(product.description) or None,
            seo_image=images[0] if images else None,
            structured_data=[
                structured_data.product_data(product, site=head.site, address=address, store_name=store.name),
                structured_data.breadcrumb_data(trail),
            ],
        )
    return render(request, "catalog/storefront/product.html", context)


@router.get("/catalog/images/{image_id}/{file_name}")
def product_image(
    image_id: int, file_name: str, db: SessionDep, store: CurrentStore, size: str = ""
) -> Response:
    """A picture of a published product; ``?size=320`` (or ``thumb``) and ``?size=800`` give
    the resized WebP copies, made on the fly for pictures that have none yet.

    File names are random and never reused, so browsers and proxies may keep a copy a year.
    """
    image = catalog_service.get_image(db, store_id=store.id, image_id=image_id, published_only=True)
    if file_name != image.file_name:
        raise NotFoundError("no such picture")
    path = catalog_service.image_path(image, width=variant_width(size))
    if not path.is_file():
        raise NotFoundError("no such picture")
    return FileResponse(
        path,
        media_type=catalog_service.image_content_type(image, path),
        headers={"Cache-Control": IMAGE_CACHE},
    )
