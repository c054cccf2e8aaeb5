"""Storefront JSON API of the catalog, at ``{storefront root}api/v1/catalog``."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request

from modules.catalog.schemas import CardOut, CardPageOut, StorefrontProductOut
from modules.catalog.services import catalog_service
from orion_server.deps import CurrentStore, SessionDep, storefront_root
from orion_server.routing import ModuleRouter

router = ModuleRouter()


@router.get("/products", response_model=CardPageOut)
def list_products(
    request: Request,
    db: SessionDep,
    store: CurrentStore,
    q: Annotated[
        str, Query(max_length=200, description="Words of the title, description or SKU.")
    ] = "",
    category: Annotated[str, Query(max_length=100, description="A category slug.")] = "",
    sort: Annotated[
        str, Query(pattern="^(|newest|price_asc|price_desc|name|relevance)$", description="Order.")
    ] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 24,
) -> CardPageOut:
    """Published products in the shopper's language, searched, filtered and sorted."""
    result = catalog_service.list_storefront(
        db,
        store_id=store.id,
        language=request.state.language,
        category=category or None,
        sort=sort or None,
        q=q,
        page=page,
        per_page=per_page,
    )
    root = storefront_root(request)
    return CardPageOut(
        items=[
            CardOut(
                slug=c.slug,
                title=c.title,
                price_min_cents=c.price_min,
                price_max_cents=c.price_max,
                regular_price_cents=c.regular_price,
                available=c.available,
                url=f"{root}products/{c.slug}",
            )
            for c in result.items
        ],
        total=result.total,
        more=result.more,
        page=result.page,
        per_page=result.per_page,
        pages=result.pages,
    )


@router.get("/products/{slug}", response_model=StorefrontProductOut)
def get_product(
    request: Request, slug: str, db: SessionDep, store: CurrentStore
) -> StorefrontProductOut:
    """One published product (404 for drafts and unknown slugs)."""
    view = catalog_service.get_product_for_storefront(
        db, store_id=store.id, slug=slug, language=request.state.language
    )
    root = storefront_root(request)
    return StorefrontProductOut(
        slug=view.slug,
        language=view.language,
        title=view.title,
        description=view.description,
        brand=view.brand,
        gtin=view.gtin,
        vat_rate=view.vat_rate,
        price_min_cents=view.price_min,
        price_max_cents=view.price_max,
        regular_price_cents=view.regular_price,
        available=view.available,
        category=view.category_slug,
        options=view.option_names,
        variants=[
            {
                "sku": v.sku,
                "options": v.options,
                "price_cents": v.price_cents,
                "available": v.available,
                "stock": v.stock,
            }
            for v in view.variants
        ],
        images=[f"{root}catalog/images/{i.id}/{i.file_name}" for i in view.images],
    )
