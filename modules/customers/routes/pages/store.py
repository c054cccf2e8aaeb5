"""Store dashboard pages of the Customers module: the customer list with search, a customer's
detail with notes, GDPR export and erasure, and segments with their members."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response

from modules.customers.exceptions import field_messages
from modules.customers.models import Customer
from modules.customers.routes.forms import flash_for
from modules.customers.services import country_options, customer_service, segment_service
from modules.customers.services.segment_service import ORDER_RULES, order_stats_provider
from orion_server.config import LANGUAGE_NAMES, SUPPORTED_LANGUAGES
from orion_server.deps import (
    SessionDep,
    StaffContext,
    StaffWith,
    not_found_as_404,
)
from orion_server.errors import OrionError
from orion_server.flash import with_done
from orion_server.forms import PostedForm, form_text
from orion_server.i18n import t
from orion_server.modules.context import get_store_context
from orion_server.routing import ModuleRouter
from orion_server.templating import render

router = ModuleRouter(dependencies=[Depends(not_found_as_404)])

FLASHES = {"note_added", "erased", "segment_created", "segment_deleted"}
PER_PAGE = 25


def _base(staff: StaffContext) -> str:
    return f"/store/{staff.store.code}/customers"


def _page(
    request: Request,
    db: SessionDep,
    staff: StaffContext,
    template: str,
    title: str,
    *,
    active: str = "customers",
    status_code: int = 200,
    **extra: Any,
) -> Response:
    language = request.state.language
    extra.setdefault("language_names", LANGUAGE_NAMES)
    extra.setdefault("flash", flash_for(request.query_params.get("done", ""), FLASHES, language))
    context = get_store_context(
        request,
        db,
        page_title=title,
        active=active,
        base=_base(staff),
        can_edit=staff.can("customers.edit"),
        can_export=staff.can("customers.export"),
        can_delete=staff.can("customers.delete"),
        **extra,
    )
    return render(request, f"customers/store/{template}", context, status_code=status_code)


@router.get("/{store_code}/customers")
def customer_list(
    request: Request, db: SessionDep, staff: StaffWith("customers.view"), q: str = "", page: int = 1
) -> Response:
    """The store's customers, searchable by name, e-mail or customer number."""
    query = q.strip()[:100]
    found = customer_service.list_customers(
        db, store_id=staff.store.id, query=query, page=max(1, min(page, 100_000)), per_page=PER_PAGE
    )
    from urllib.parse import quote

    return _page(
        request,
        db,
        staff,
        "list.html",
        t("customers.store.title", request.state.language),
        result=found,
        q=query,
        page_base=f"{_base(staff)}?q={quote(query)}&" if query else f"{_base(staff)}?",
    )


def _detail(
    request: Request,
    db: SessionDep,
    staff: StaffContext,
    customer: Customer,
    *,
    errors: dict[str, str] | None = None,
    note: str = "",
    status_code: int = 200,
) -> Response:
    title = customer.full_name or customer.customer_number
    return _page(
        request,
        db,
        staff,
        "detail.html",
        title,
        status_code=status_code,
        customer=customer,
        countries=dict(country_options(request.state.language)),
        errors=errors or {},
        note=note,
        language_names=LANGUAGE_NAMES,
    )


@router.get("/{store_code}/customers/{customer_id:int}")
def customer_detail(
    request: Request, customer_id: int, db: SessionDep, staff: StaffWith("customers.view")
) -> Response:
    """A customer's profile, addresses and notes."""
    customer = customer_service.get_customer(db, store_id=staff.store.id, customer_id=customer_id)
    return _detail(request, db, staff, customer)


@router.post("/{store_code}/customers/{customer_id:int}/notes")
def add_note(
    request: Request, customer_id: int, db: SessionDep, staff: StaffWith("customers.edit"), form: PostedForm
) -> Response:
    """Add a note to a customer."""
    note = form_text(form, "text")
    try:
        customer_service.add_note(
            db,
            store_id=staff.store.id,
            customer_id=customer_id,
            author_user_id=staff.user.id,
            text=note,
        )
    except OrionError as exc:
        if exc.status >= 500 or exc.status == 404:
            raise
        db.rollback()
        customer = customer_service.get_customer(
            db, store_id=staff.store.id, customer_id=customer_id
        )
        errors = field_messages(exc, request.state.language)
        return _detail(
            request, db, staff, customer, errors=errors, note=note, status_code=exc.status
        )
    return RedirectResponse(with_done(f"{_base(staff)}/{customer_id}", "note_added"), status_code=303)


@router.get("/{store_code}/customers/{customer_id:int}/export")
def export_customer(customer_id: int, db: SessionDep, staff: StaffWith("customers.export")) -> Response:
    """Download everything held about the customer as JSON (GDPR access request)."""
    data = customer_service.export_data(db, store_id=staff.store.id, customer_id=customer_id)
    filename = f"customer-{data['profile']['customer_number']}.json"
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        media_type="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/{store_code}/customers/{customer_id:int}/erase")
def erase_confirm(
    request: Request, customer_id: int, db: SessionDep, staff: StaffWith("customers.delete")
) -> Response:
    """Ask for confirmation before erasing a customer's personal data."""
    customer = customer_service.get_customer(db, store_id=staff.store.id, customer_id=customer_id)
    return _page(
        request,
        db,
        staff,
        "erase.html",
        t("customers.erase.title", request.state.language),
        customer=customer,
        errors={},
    )


@router.post("/{store_code}/customers/{customer_id:int}/erase")
def erase(
    request: Request, customer_id: int, db: SessionDep, staff: StaffWith("customers.delete"), form: PostedForm
) -> Response:
    """Erase the customer once the confirmation box is ticked."""
    customer = customer_service.get_customer(db, store_id=staff.store.id, customer_id=customer_id)
    if form_text(form, "confirm") != customer.customer_number:
        language = request.state.language
        return _page(
            request,
            db,
            staff,
            "erase.html",
            t("customers.erase.title", language),
            status_code=422,
            customer=customer,
            errors={"confirm": t("customers.errors.erase_confirm", language)},
        )
    customer_service.erase(db, store_id=staff.store.id, customer_id=customer_id)
    return RedirectResponse(with_done(f"{_base(staff)}/{customer_id}", "erased"), status_code=303)


# -- segments -----------------------------------------------------------------------------


def _language_options(language: str) -> list[tuple[str, str]]:
    return [("", t("customers.segments.any_language", language))] + [
        (code, LANGUAGE_NAMES[code]) for code in SUPPORTED_LANGUAGES
    ]


@router.get("/{store_code}/customers/segments")
def segment_list(request: Request, db: SessionDep, staff: StaffWith("customers.view")) -> Response:
    """The store's segments."""
    return _page(
        request,
        db,
        staff,
        "segments.html",
        t("customers.segments.title", request.state.language),
        active="customers-segments",
        segments=segment_service.list_segments(db, store_id=staff.store.id),
        orders_available=order_stats_provider(db, store_id=staff.store.id) is not None,
        language_names=LANGUAGE_NAMES,
    )


def _segment_form(
    request: Request,
    db: SessionDep,
    staff: StaffContext,
    *,
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    language = request.state.language
    return _page(
        request,
        db,
        staff,
        "segment_form.html",
        t("customers.segments.new_title", language),
        active="customers-segments",
        status_code=status_code,
        values=values,
        errors=errors or {},
        language_options=_language_options(language),
        orders_available=order_stats_provider(db, store_id=staff.store.id) is not None,
    )


@router.get("/{store_code}/customers/segments/new")
def new_segment_form(request: Request, db: SessionDep, staff: StaffWith("customers.edit")) -> Response:
    """An empty segment form."""
    return _segment_form(request, db, staff, values={})


@router.post("/{store_code}/customers/segments/new")
def create_segment(request: Request, db: SessionDep, staff: StaffWith("customers.edit"), form: PostedForm) -> Response:
    """Create a segment."""
    values = {name: form_text(form, name) for name in ("name", "language", *ORDER_RULES)}
    rules = {name: values[name] for name in ("language", *ORDER_RULES)}
    try:
        segment = segment_service.create_segment(
            db, store_id=staff.store.id, name=values["name"], rules=rules
        )
    except OrionError as exc:
        if exc.status >= 500 or exc.status == 404:
            raise
        db.rollback()
        errors = field_messages(exc, request.state.language)
        return _segment_form(
            request, db, staff, values=values, errors=errors, status_code=exc.status
        )
    return RedirectResponse(
        with_done(f"{_base(staff)}/segments/{segment.id}", "segment_created"), status_code=303
    )


@router.get("/{store_code}/customers/segments/{segment_id:int}")
def segment_members(
    request: Request, segment_id: int, db: SessionDep, staff: StaffWith("customers.view"), page: int = 1
) -> Response:
    """The customers a segment's rules match."""
    segment = segment_service.get_segment(db, store_id=staff.store.id, segment_id=segment_id)
    members = segment_service.members(
        db,
        store_id=staff.store.id,
        segment_id=segment_id,
        page=max(1, min(page, 100_000)),
        per_page=PER_PAGE,
    )
    return _page(
        request,
        db,
        staff,
        "segment_members.html",
        segment.name,
        active="customers-segments",
        segment=segment,
        members=members,
        language_names=LANGUAGE_NAMES,
    )


@router.post("/{store_code}/customers/segments/{segment_id:int}/delete")
def delete_segment(segment_id: int, db: SessionDep, staff: StaffWith("customers.edit")) -> Response:
    """Remove a segment."""
    segment_service.delete_segment(db, store_id=staff.store.id, segment_id=segment_id)
    return RedirectResponse(with_done(f"{_base(staff)}/segments", "segment_deleted"), status_code=303)
