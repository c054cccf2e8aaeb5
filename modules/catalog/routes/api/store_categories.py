"""Store JSON API of the catalog's categories, at ``/api/v1/store/{store_code}/catalog/categories``.

Another store's categories answer 404; input errors answer 422 with ``fields`` naming every bad
input (``slug``, ``names.<language>``, ``parent_id``, ``position``). Deleting moves the
sub-categories up one level and leaves the products without a category.
Mounted by ``store.py`` (``include_router``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Response, status
from sqlalchemy.orm import Session

from modules.catalog.schemas import CategoryCreate, CategoryOut, CategoryUpdate
from modules.catalog.services import catalog_service
from orion_server.deps import SessionDep, StaffWith
from orion_server.routing import ModuleRouter

categories_api_router = ModuleRouter()

# Ids are 32-bit on PostgreSQL; a bigger one cannot even be looked up there (a 500): 422.
CategoryId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _all(db: Session, store_id: int) -> list[CategoryOut]:
    return [
        CategoryOut(
            id=row.category.id,
            slug=row.category.slug,
            parent_id=row.category.parent_id,
            position=row.category.position,
            depth=row.depth,
            names={tr.language: tr.name for tr in row.category.translations},
            product_count=row.products,
            product_count_with_children=row.products_with_children,
        )
        for row in catalog_service.category_rows(db, store_id=store_id)
    ]


def _one(db: Session, store_id: int, category_id: int) -> CategoryOut:
    catalog_service.get_category(db, store_id=store_id, category_id=category_id)
    return next(c for c in _all(db, store_id) if c.id == category_id)


@categories_api_router.get("/categories", response_model=list[CategoryOut])
def list_categories(db: SessionDep, staff: StaffWith("catalog.view")) -> list[CategoryOut]:
    """The store's categories depth first (a parent before its children), by position."""
    return _all(db, staff.store.id)


@categories_api_router.post(
    "/categories", response_model=CategoryOut, status_code=status.HTTP_201_CREATED
)
def create_category(body: CategoryCreate, db: SessionDep, staff: StaffWith("catalog.create")) -> CategoryOut:
    """Create a category."""
    category = catalog_service.save_category(
        db,
        store_id=staff.store.id,
        slug=body.slug,
        names=body.names,
        default_language=staff.store.default_language,
        parent_id=body.parent_id,
        position=body.position,
    )
    return _one(db, staff.store.id, category.id)


@categories_api_router.get("/categories/{category_id}", response_model=CategoryOut)
def get_category(category_id: CategoryId, db: SessionDep, staff: StaffWith("catalog.view")) -> CategoryOut:
    """One of the store's categories."""
    return _one(db, staff.store.id, category_id)


@categories_api_router.patch("/categories/{category_id}", response_model=CategoryOut)
def update_category(
    category_id: CategoryId, body: CategoryUpdate, db: SessionDep, staff: StaffWith("catalog.edit")
) -> CategoryOut:
    """Change some fields of a category (a parent inside its own branch is a 422)."""
    category = catalog_service.get_category(db, store_id=staff.store.id, category_id=category_id)
    changes = body.model_dump(exclude_unset=True)
    names = changes.get("names")
    catalog_service.save_category(
        db,
        store_id=staff.store.id,
        category_id=category.id,
        slug=changes["slug"] if changes.get("slug") is not None else category.slug,
        names=names
        if names is not None
        else {tr.language: tr.name for tr in category.translations},
        default_language=staff.store.default_language,
        parent_id=changes["parent_id"] if "parent_id" in changes else category.parent_id,
        position=changes["position"] if changes.get("position") is not None else category.position,
    )
    return _one(db, staff.store.id, category_id)


@categories_api_router.delete("/categories/{category_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_category(category_id: CategoryId, db: SessionDep, staff: StaffWith("catalog.delete")) -> Response:
    """Delete a category: its sub-categories move up, its products stay without a category."""
    catalog_service.delete_category(db, store_id=staff.store.id, category_id=category_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
