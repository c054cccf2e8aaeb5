"""Store JSON API of the Orders module, mounted at ``/api/v1/store/{store_code}/orders``.

Every route needs a member of the store with ``orders.view``; changing a status needs
``orders.edit`` (``orders.cancel`` to cancel, ``orders.refund`` to refund), notes need
``orders.edit``. Orders of other stores answer 404.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from fastapi import Query
from fastapi import status as http_status
from pydantic import BeforeValidator

from modules.orders.models import Order, OrderNote
from modules.orders.schemas import (
    NoteCreate,
    NoteOut,
    OrderOut,
    OrderPageOut,
    OrderSummaryOut,
    StatusChange,
    VatRowOut,
)
from modules.orders.services import order_service, permission_for
from orion_server.deps import SessionDep, StaffWith
from orion_server.errors import PermissionDeniedError
from orion_server.routing import ModuleRouter

router = ModuleRouter()

StatusFilter = Annotated[
    str | None,
    Query(
        pattern="^(pending_payment|paid|processing|shipped|delivered|cancelled|refunded)$",
        description="Only orders in this status.",
    ),
]


ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(value: object) -> object:
    """A day only as the description writes it (``format: date``, YYYY-MM-DD): on its own,
    pydantic also reads ``0`` as a number of seconds since 1970 and takes timestamps."""
    if isinstance(value, str) and not ISO_DAY.fullmatch(value):
        raise ValueError("write the day as YYYY-MM-DD")
    return value


Day = Annotated[date | None, BeforeValidator(_iso_day)]


def note_out(note: OrderNote) -> NoteOut:
    """A staff note as JSON."""
    return NoteOut(id=note.id, author=note.author, text=note.body, created_at=note.created_at)


def order_out(db: SessionDep, order: Order) -> OrderOut:
    """The full JSON of an order."""
    summary = OrderSummaryOut.model_validate(order).model_dump()
    return OrderOut(
        **summary,
        subtotal_cents=order.subtotal_cents,
        shipping_cents=order.shipping_cents,
        discount_cents=order.discount_cents,
        vat=[
            VatRowOut(rate=int(rate), net_cents=row["net"], vat_cents=row["vat"], gross_cents=row["gross"])
            for rate, row in order.vat_rows
        ],
        customer_phone=order.customer_phone,
        customer_language=order.customer_language,
        shipping_address=order.shipping_address,
        billing_address=order.billing_address,
        shipping_method_code=order.shipping_method_code,
        shipping_method_label=order.shipping_method_label,
        payment_method_code=order.payment_method_code,
        paid_at=order.paid_at,
        shipped_at=order.shipped_at,
        delivered_at=order.delivered_at,
        cancelled_at=order.cancelled_at,
        refunded_at=order.refunded_at,
        lines=order.lines,
        history=order_service.history(db, order=order),
        notes=[note_out(n) for n in order_service.notes(db, order=order)],
        allowed_transitions=list(order_service.allowed_transitions(order)),
    )


@router.get("", response_model=OrderPageOut)
def list_orders(
    db: SessionDep,
    staff: StaffWith("orders.view"),
    status: StatusFilter = None,
    date_from: Annotated[Day, Query(description="First day (Luxembourg time).")] = None,
    date_to: Annotated[Day, Query(description="Last day, included.")] = None,
    customer: Annotated[str, Query(max_length=100, description="Part of the e-mail or name.")] = "",
    q: Annotated[str, Query(max_length=50, description="Part of the order number.")] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 25,
) -> dict:
    """The store's orders, newest first, filtered."""
    result = order_service.list_orders(
        db,
        store_id=staff.store.id,
        status=status,
        date_from=date_from,
        date_to=date_to,
        customer=customer,
        q=q,
        page=page,
        per_page=per_page,
    )
    return {
        "items": [OrderSummaryOut.model_validate(o) for o in result.items],
        "total": result.total,
        "page": result.page,
        "per_page": result.per_page,
        "pages": result.pages,
    }


@router.get("/{number}", response_model=OrderOut)
def get_order(number: str, db: SessionDep, staff: StaffWith("orders.view")) -> OrderOut:
    """One order with its lines, VAT breakdown, addresses, history and notes."""
    order = order_service.get_by_number(db, store_id=staff.store.id, number=number)
    return order_out(db, order)


@router.post("/{number}/status", response_model=OrderOut)
def change_status(number: str, body: StatusChange, db: SessionDep, staff: StaffWith("orders.view")) -> OrderOut:
    """Move the order to another status; moves the status machine refuses answer 422."""
    order = order_service.get_by_number(db, store_id=staff.store.id, number=number)
    needed = permission_for(body.to)
    if not staff.can(needed):
        raise PermissionDeniedError(f"you need the permission {needed}")
    order = order_service.change_status(
        db,
        order_id=order.id,
        store_id=staff.store.id,
        to=body.to,
        actor=staff.user.email,
        actor_user_id=staff.user.id,
        note=body.note,
    )
    return order_out(db, order)


@router.post("/{number}/notes", response_model=NoteOut, status_code=http_status.HTTP_201_CREATED)
def add_note(number: str, body: NoteCreate, db: SessionDep, staff: StaffWith("orders.edit")) -> NoteOut:
    """Keep a staff note on the order."""
    order = order_service.get_by_number(db, store_id=staff.store.id, number=number)
    note = order_service.add_note(
        db,
        order_id=order.id,
        store_id=staff.store.id,
        body=body.text,
        author=staff.user.email,
        author_user_id=staff.user.id,
    )
    return note_out(note)
