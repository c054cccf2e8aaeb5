"""Store dashboard pages of Billing's add-ons: a quote before buying, buying, giving one up
(included by ``store.py``)."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from modules.billing.config import config
from modules.billing.exceptions import BillingInputError
from modules.billing.services.add_ons import add_on_name, add_on_service
from orion_server.deps import SessionDep, StaffWith
from orion_server.flash import with_done
from orion_server.forms import PostedForm, field_messages, form_text
from orion_server.i18n import t
from orion_server.modules.context import get_store_context
from orion_server.routing import ModuleRouter
from orion_server.templating import render

add_ons_router = ModuleRouter()


def _base(staff: StaffWith) -> str:
    return f"/store/{staff.store.code}/billing"


def _quote_page(request: Request, db: SessionDep, staff: StaffWith, code: str, quantity: str,
                errors: dict[str, str] | None = None, status_code: int = 200) -> Response:
    language = request.state.language
    quote = None
    try:
        quote = add_on_service.quote(db, store_id=staff.store.id, code=code, quantity=quantity, language=language)
    except BillingInputError as exc:
        errors = {**field_messages(exc, language), **(errors or {})}
        status_code = max(status_code, exc.status)
    context = get_store_context(
        request,
        db,
        page_title=t("billing.add_ons.buy_title", language),
        active="billing",
        quote=quote,
        name=add_on_name(code, quote.quantity, language) if quote else "",
        code=code,
        errors=errors or {},
        currency=config.currency,
        base=_base(staff),
    )
    return render(request, "billing/store/add_on.html", context, status_code=status_code)


@add_ons_router.get("/{store_code}/billing/add-ons/{code}")
def add_on_quote(request: Request, code: str, db: SessionDep, staff: StaffWith("billing.manage"),
                 quantity: str = "1") -> Response:
    """What the add-on costs until the period ends, before buying it."""
    return _quote_page(request, db, staff, code, quantity)


@add_ons_router.post("/{store_code}/billing/add-ons/{code}")
def buy_add_on(request: Request, code: str, db: SessionDep, staff: StaffWith("billing.manage"),
               form: PostedForm) -> Response:
    """Buy the add-on: it applies now and the rest of the period is invoiced."""
    quantity = form_text(form, "quantity") or "1"
    try:
        add_on_service.buy(db, store_id=staff.store.id, code=code, quantity=quantity,
                           language=request.state.language, actor=staff.user)
    except BillingInputError as exc:
        db.rollback()
        return _quote_page(request, db, staff, code, quantity, errors=field_messages(exc, request.state.language),
                           status_code=exc.status)
    return RedirectResponse(with_done(_base(staff), "add_on_bought"), status_code=303)


@add_ons_router.post("/{store_code}/billing/add-ons/{code}/give-up")
def give_up_add_on(request: Request, code: str, db: SessionDep, staff: StaffWith("billing.manage"),
                   form: PostedForm) -> Response:
    """Stop the add-on at the end of the period already paid."""
    try:
        add_on_service.give_up(db, store_id=staff.store.id, code=code, actor=staff.user)
    except BillingInputError:
        db.rollback()
        return RedirectResponse(_base(staff), status_code=303)
    return RedirectResponse(with_done(_base(staff), "add_on_given_up"), status_code=303)
