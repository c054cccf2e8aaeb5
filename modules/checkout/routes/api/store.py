"""Store JSON API of Checkout, at ``/api/v1/store/{store_code}/checkout``.

``GET /shipping`` and ``PUT /shipping``: the store's shipping settings (``checkout.manage``).
Bad values answer 422 with one ``fields`` entry per field; other stores answer 404.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request
from fastapi.responses import JSONResponse

from modules.checkout.services import shipping_service
from orion_server.deps import SessionDep, StaffContext, require_permission

router = APIRouter()

ManageStaff = Annotated[StaffContext, Depends(require_permission("checkout.manage"))]


@router.get("/shipping")
def get_shipping(db: SessionDep, staff: ManageStaff) -> JSONResponse:
    """The store's shipping settings (the defaults until saved)."""
    return JSONResponse(shipping_service.as_dict(shipping_service.get(db, store_id=staff.store.id)))


@router.put("/shipping")
def put_shipping(
    request: Request, db: SessionDep, staff: ManageStaff, body: dict[str, Any] | None = Body(default=None)
) -> JSONResponse:
    """Replace the shipping settings: ``pickup_enabled``, ``delivery_enabled``,
    ``delivery_price_cents``, ``free_delivery_above_cents`` (null: never free), ``shipping_vat_rate``."""
    row = shipping_service.save(
        db, store_id=staff.store.id, values=body or {}, language=request.state.language
    )
    return JSONResponse(shipping_service.as_dict(row))
