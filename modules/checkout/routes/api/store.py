"""Store JSON API of Checkout, at ``/api/v1/store/{store_code}/checkout``.

``GET /shipping`` and ``PUT /shipping``: the store's shipping settings (``checkout.manage``).
Bad values answer 422 with one ``fields`` entry per field, in the staff member's language;
other stores answer 404.
"""

from __future__ import annotations

from fastapi import Depends

from modules.checkout.schemas import ShippingSettingsIn, ShippingSettingsOut
from modules.checkout.services import shipping_service
from orion_server.deps import SessionDep, StaffWith
from orion_server.forms import problems_in_request_language
from orion_server.routing import ModuleRouter

router = ModuleRouter(dependencies=[Depends(problems_in_request_language)])



@router.get("/shipping", response_model=ShippingSettingsOut)
def get_shipping(db: SessionDep, staff: StaffWith("checkout.manage")) -> ShippingSettingsOut:
    """The store's shipping settings (the defaults until saved)."""
    return ShippingSettingsOut(
        **shipping_service.as_dict(shipping_service.get(db, store_id=staff.store.id))
    )


@router.put("/shipping", response_model=ShippingSettingsOut)
def put_shipping(
    body: ShippingSettingsIn, db: SessionDep, staff: StaffWith("checkout.manage")
) -> ShippingSettingsOut:
    """Replace the shipping settings: ``pickup_enabled``, ``delivery_enabled``,
    ``delivery_price_cents``, ``free_delivery_above_cents`` (null: never free), ``shipping_vat_rate``."""
    row = shipping_service.save(db, store_id=staff.store.id, values=body.model_dump())
    return ShippingSettingsOut(**shipping_service.as_dict(row))
