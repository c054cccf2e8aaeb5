"""Store JSON API of the catalog, at ``/api/v1/store/{store_code}/catalog``.

Staff of another store get 404 for this store's products; input errors answer 422 with
``fields`` naming every bad input.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query, Response, status
from sqlalchemy.orm import Session

from modules.catalog.models import Product
from modules.catalog.routes.api.store_categories import categories_api_router
from modules.catalog.schemas import ProductCreate, ProductOut, ProductPageOut, ProductUpdate
from modules.catalog.services import catalog_service
from orion_server.deps import SessionDep, StaffWith
from orion_server.routing import ModuleRouter

router = ModuleRouter()

# Ids are 32-bit on PostgreSQL; a bigger one cannot even be looked up there (a 500): 422.
ProductId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _out(db: Session, product: Product) -> ProductOut:
    stock = catalog_service.stock_by_sku(db, store_id=product.store_id, products=[product])
    margin = catalog_service.margin(product)
    return ProductOut(
        id=product.id,
        slug=product.slug,
        status=product.status,
        category_id=product.category_id,
        brand=product.brand,
        gtin=product.gtin,
        vat_rate=product.vat_rate,
        price_cents=product.price_cents,
        sale_price_cents=product.sale_price_cents,
        condition=product.condition,
        availability=product.availability,
        cost_cents=product.cost_cents,
        margin_cents=margin[0] if margin else None,
        margin_percent=margin[1] if margin else None,
        is_digital=product.is_digital,
        translations={
            tr.language: {"title": tr.title, "description": tr.description}
            for tr in product.translations
        },
        variants=[
            {
                "id": v.id,
                "sku": v.sku,
                "options": v.options or {},
                "price_cents": v.price_cents,
                "effective_price_cents": product.variant_price(v),
                "stock": stock.get(v.sku),
            }
            for v in product.variants
        ],
        image_ids=[i.id for i in product.images],
        created_at=product.created_at,
        updated_at=product.updated_at,
    )


@router.get("/products", response_model=ProductPageOut)
def list_products(
    db: SessionDep,
    staff: StaffWith("catalog.view"),
    q: Annotated[str, Query(max_length=100)] = "",
    status_filter: Annotated[str, Query(alias="status", pattern="^(|draft|published)$")] = "",
    category_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 25,
) -> ProductPageOut:
    """The store's products, newest first, with search and filters."""
    result = catalog_service.list_products(
        db,
        store_id=staff.store.id,
        q=q,
        status=status_filter or None,
        category_id=category_id,
        page=page,
        per_page=per_page,
    )
    return ProductPageOut(
        items=[_out(db, p) for p in result.items],
        total=result.total,
        page=result.page,
        per_page=result.per_page,
        pages=result.pages,
    )


@router.post("/products", response_model=ProductOut, status_code=status.HTTP_201_CREATED)
def create_product(body: ProductCreate, db: SessionDep, staff: StaffWith("catalog.create")) -> ProductOut:
    """Create a product with its translations and variants."""
    data = body.model_dump()
    product = catalog_service.create_product(
        db,
        store_id=staff.store.id,
        default_language=staff.store.default_language,
        actor=staff.user.email,
        **data,
    )
    return _out(db, product)


@router.get("/products/{product_id}", response_model=ProductOut)
def get_product(product_id: ProductId, db: SessionDep, staff: StaffWith("catalog.view")) -> ProductOut:
    """One of the store's products."""
    return _out(db, catalog_service.get_product(db, store_id=staff.store.id, product_id=product_id))


@router.patch("/products/{product_id}", response_model=ProductOut)
def update_product(
    product_id: ProductId, body: ProductUpdate, db: SessionDep, staff: StaffWith("catalog.edit")
) -> ProductOut:
    """Change some fields of a product."""
    changes = body.model_dump(exclude_unset=True)
    for key in ("slug", "translations", "variants", "price_cents", "vat_rate", "status", "condition", "is_digital"):
        if key in changes and changes[key] is None:
            changes.pop(key)
    product = catalog_service.update_product(
        db,
        store_id=staff.store.id,
        product_id=product_id,
        default_language=staff.store.default_language,
        actor=staff.user.email,
        **changes,
    )
    return _out(db, product)


@router.delete("/products/{product_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_product(product_id: ProductId, db: SessionDep, staff: StaffWith("catalog.delete")) -> Response:
    """Delete a product with its variants and pictures."""
    catalog_service.delete_product(db, store_id=staff.store.id, product_id=product_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# Category routes live in their own file; mounted here, under the same module gate.
router.include_router(categories_api_router)
