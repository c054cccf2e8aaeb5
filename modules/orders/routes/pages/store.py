"""Store dashboard pages of the Orders module: the order list, an order's detail with its status
changes and notes, and the invoice and packing slip, printable and as PDF files."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from modules.contracts.checkout_payments import method_label
from modules.orders.exceptions import field_messages
from modules.orders.models import Order, OrderStatus
from modules.orders.services import order_service, permission_for
from modules.orders.services.documents import order_documents
from orion_server.deps import SessionDep, StaffContext, StaffWith
from orion_server.errors import PermissionDeniedError, ValidationError
from orion_server.flash import flash_for, with_done
from orion_server.forms import PostedForm, form_text
from orion_server.i18n import t
from orion_server.models import Merchant, Store
from orion_server.modules.context import get_store_context
from orion_server.pdf import pdf_response
from orion_server.routing import ModuleRouter
from orion_server.templating import render

router = ModuleRouter()

ACTIVE = "orders"
FLASHES = {"status", "note"}




def _base(staff: StaffContext) -> str:
    return f"/store/{staff.store.code}/orders"


def _parse_day(value: str, field: str, errors: dict[str, str], language: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors[field] = t("orders.errors.date_invalid", language)
        return None


def status_label(status: str, language: str) -> str:
    """A status in words."""
    return t(f"orders.status.{status}", language)


@router.get("/{store_code}/orders")
def order_list(
    request: Request,
    db: SessionDep,
    staff: StaffWith("orders.view"),
    status: str = "",
    date_from: str = "",
    date_to: str = "",
    customer: str = "",
    q: str = "",
    page: str = "1",
) -> Response:
    """The store's orders, newest first, with filters and pages."""
    language = request.state.language
    errors: dict[str, str] = {}
    status = status if status in OrderStatus.ALL else ""
    day_from = _parse_day(date_from, "date_from", errors, language)
    day_to = _parse_day(date_to, "date_to", errors, language)
    if day_from and day_to and day_from > day_to:
        errors["date_to"] = t("orders.errors.date_order", language)
        day_to = None
    try:
        page_number = max(1, min(int(page), 100_000))
    except ValueError:
        page_number = 1
    filters = {
        "status": status,
        "date_from": date_from.strip(),
        "date_to": date_to.strip(),
        "customer": customer.strip()[:100],
        "q": q.strip()[:50],
    }
    result = order_service.list_orders(
        db,
        store_id=staff.store.id,
        status=status or None,
        date_from=day_from,
        date_to=day_to,
        customer=filters["customer"],
        q=filters["q"],
        page=page_number,
    )
    query = urlencode({k: v for k, v in filters.items() if v})
    context = get_store_context(
        request,
        db,
        page_title=t("orders.list.title", language),
        active=ACTIVE,
        orders=result.items,
        result=result,
        filters=filters,
        filtered=any(filters.values()),
        errors=errors,
        base=_base(staff),
        page_base=f"{_base(staff)}?{query + '&' if query else ''}",
        status_options=[("", t("orders.filter.any_status", language))]
        + [(s, status_label(s, language)) for s in OrderStatus.ALL],
    )
    return render(request, "orders/store/list.html", context)


def _render_detail(
    request: Request,
    db: SessionDep,
    staff: StaffContext,
    order: Order,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    done: str = "",
    status_code: int = 200,
) -> Response:
    language = request.state.language
    transitions = [
        (status, t(f"orders.action.to_{status}", language))
        for status in order_service.allowed_transitions(order)
        if staff.can(permission_for(status))
    ]
    flash = flash_for(done, prefix="orders.flash.", allowed=FLASHES, language=language)
    context = get_store_context(
        request,
        db,
        page_title=t("orders.detail.title", language, number=order.number),
        active=ACTIVE,
        order=order,
        payment_label=method_label(db, order.store_id, order.payment_method_code, language),
        history=order_service.history(db, order=order),
        notes=order_service.notes(db, order=order),
        transitions=transitions,
        can_edit=staff.can("orders.edit"),
        errors=errors or {},
        values=values or {},
        flash=flash,
        base=_base(staff),
        order_url=f"{_base(staff)}/{order.number}",
    )
    return render(request, "orders/store/detail.html", context, status_code=status_code)


@router.get("/{store_code}/orders/{number}")
def order_detail(request: Request, number: str, db: SessionDep, staff: StaffWith("orders.view"), done: str = "") -> Response:
    """An order: lines, totals with VAT per rate, addresses, history, notes and the next steps."""
    order = order_service.get_by_number(db, store_id=staff.store.id, number=number)
    return _render_detail(request, db, staff, order, done=done)


@router.post("/{store_code}/orders/{number}/status")
def change_status(request: Request, number: str, db: SessionDep, staff: StaffWith("orders.view"), form: PostedForm) -> Response:
    """Move the order on; a refused move shows the detail again with the reason."""
    order = order_service.get_by_number(db, store_id=staff.store.id, number=number)
    language = request.state.language
    to = form_text(form, "to")
    note = form_text(form, "note")
    if to in OrderStatus.ALL and not staff.can(permission_for(to)):
        raise PermissionDeniedError(f"you need the permission {permission_for(to)}")
    try:
        order_service.change_status(
            db,
            order_id=order.id,
            store_id=staff.store.id,
            to=to,
            actor=staff.user.email,
            actor_user_id=staff.user.id,
            note=note,
        )
    except ValidationError as exc:
        db.rollback()
        order = order_service.get_by_number(db, store_id=staff.store.id, number=number)
        return _render_detail(
            request, db, staff, order, errors=field_messages(exc, language), values={"note": note}, status_code=422
        )
    return RedirectResponse(with_done(f"{_base(staff)}/{order.number}", "status"), status_code=303)


@router.post("/{store_code}/orders/{number}/notes")
def add_note(request: Request, number: str, db: SessionDep, staff: StaffWith("orders.edit"), form: PostedForm) -> Response:
    """Keep a staff note; an empty or too long note shows the detail again with what was typed."""
    order = order_service.get_by_number(db, store_id=staff.store.id, number=number)
    language = request.state.language
    body = form_text(form, "body")
    try:
        order_service.add_note(
            db,
            order_id=order.id,
            store_id=staff.store.id,
            body=body,
            author=staff.user.email,
            author_user_id=staff.user.id,
        )
    except ValidationError as exc:
        db.rollback()
        order = order_service.get_by_number(db, store_id=staff.store.id, number=number)
        return _render_detail(
            request, db, staff, order, errors=field_messages(exc, language), values={"body": body}, status_code=422
        )
    return RedirectResponse(with_done(f"{_base(staff)}/{order.number}", "note"), status_code=303)


def _document(
    request: Request, db: SessionDep, staff: StaffContext, number: str, template: str, title_key: str, pdf_name: str
) -> Response:
    language = request.state.language
    order = order_service.get_by_number(db, store_id=staff.store.id, number=number)
    store = db.get(Store, staff.store.id)
    merchant: Merchant | None = store.merchant if store is not None else None
    context: dict[str, Any] = get_store_context(
        request,
        db,
        page_title=t(title_key, language, number=order.number),
        order=order,
        payment_label=method_label(db, order.store_id, order.payment_method_code, language),
        store_record=store,
        merchant=merchant,
        back_url=f"{_base(staff)}/{order.number}",
        pdf_url=f"{_base(staff)}/{order.number}/{pdf_name}",
    )
    return render(request, template, context)


@router.get("/{store_code}/orders/{number}/invoice")
def invoice(request: Request, number: str, db: SessionDep, staff: StaffWith("orders.view")) -> Response:
    """The order's invoice, designed for printing (the invoice number is the order number)."""
    return _document(request, db, staff, number, "orders/store/invoice.html", "orders.invoice.title", "invoice.pdf")


@router.get("/{store_code}/orders/{number}/packing-slip")
def packing_slip(request: Request, number: str, db: SessionDep, staff: StaffWith("orders.view")) -> Response:
    """What goes in the parcel, without prices, designed for printing."""
    return _document(
        request, db, staff, number, "orders/store/packing_slip.html", "orders.packing.title", "packing-slip.pdf"
    )


@router.get("/{store_code}/orders/{number}/invoice.pdf")
def invoice_pdf(request: Request, number: str, db: SessionDep, staff: StaffWith("orders.view")) -> Response:
    """The order's invoice as a PDF file, with what the printable invoice shows."""
    document = order_documents.invoice_pdf(db, store_id=staff.store.id, number=number, language=request.state.language)
    return pdf_response(document.content, filename=document.filename)


@router.get("/{store_code}/orders/{number}/packing-slip.pdf")
def packing_slip_pdf(request: Request, number: str, db: SessionDep, staff: StaffWith("orders.view")) -> Response:
    """The order's packing slip as a PDF file: lines and quantities, no prices."""
    document = order_documents.packing_slip_pdf(
        db, store_id=staff.store.id, number=number, language=request.state.language
    )
    return pdf_response(document.content, filename=document.filename)
