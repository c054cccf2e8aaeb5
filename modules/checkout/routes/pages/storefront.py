"""The storefront's checkout pages (paths relative to the storefront root).

| path | what |
|---|---|
| ``GET checkout`` | one form: contact, address, shipping and payment method |
| ``POST checkout/review`` | the form checked: the review with lines, totals and VAT per rate |
| ``POST checkout/place`` | place the order (hidden idempotency key from the review) |
| ``GET checkout/done/{number}?token=`` | the confirmation: number, total, how to pay |
| ``POST checkout/done/{number}/pay?token=`` | start a payment that failed again |

Form fields are named like the API's (``address.street``), so one service checks both.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from modules.cart.cookies import cart_token
from modules.cart.models import Cart
from modules.cart.services import cart_service
from modules.checkout.config import ORDERS_PER_CLIENT
from modules.checkout.exceptions import (
    CartChangedError,
    CheckoutConflictError,
    CheckoutInputError,
    EmptyCartError,
    KeySpentError,
    PriceChangedError,
    field_messages,
)
from modules.checkout.routes.common import confirmation_path, site_root
from modules.checkout.services import checkout_service
from modules.customers.deps import OptionalCustomer
from modules.customers.models import Customer
from modules.customers.services import country_options
from modules.orders.services import order_service
from orion_server.deps import CurrentStore, SessionDep, storefront_root
from orion_server.errors import NotFoundError
from orion_server.forms import PostedForm
from orion_server.i18n import t
from orion_server.modules.context import get_storefront_context
from orion_server.rate_limits import RateLimited
from orion_server.routing import ModuleRouter
from orion_server.templating import render
from orion_server.tenants import StoreInfo

router = ModuleRouter()
SKIP = {"csrf_token", "idempotency_key", "expected_total_cents"}


def form_values(form: FormData) -> dict[str, str]:
    """The posted fields, flat (the last value of a repeated name wins: a checkbox after its
    hidden default)."""
    values: dict[str, str] = {}
    for name, value in form.multi_items():
        if isinstance(value, str) and name not in SKIP:
            values[name] = value
    # the discounts ticked, after the hidden empty default: their keys, comma-separated
    chosen = [value for value in form.getlist("discounts") if isinstance(value, str) and value]
    if "discounts" in form:
        values["discounts"] = ",".join(chosen)
    return values


def nested(values: dict[str, str]) -> dict[str, Any]:
    """``{"address.city": "X"}`` -> ``{"address": {"city": "X"}}``, as the service reads it."""
    raw: dict[str, Any] = {}
    for name, value in values.items():
        head, _, tail = name.partition(".")
        if tail:
            part = raw.setdefault(head, {})
            if isinstance(part, dict):
                part[tail] = value
        else:
            raw[name] = value
    return raw


def _initial_values(customer: Customer | None) -> dict[str, str]:
    values = {"billing_same": "1", "address.country": "LU"}
    if customer is None:
        return values
    values.update(email=customer.email, first_name=customer.first_name,
                  last_name=customer.last_name, phone=customer.phone)
    default = next((a for a in customer.addresses if a.is_default_shipping), None)
    if default is None and customer.addresses:
        default = customer.addresses[0]
    values["address_id"] = str(default.id) if default is not None else "new"
    return values


def _render(request: Request, db: SessionDep, template: str, status_code: int = 200, **extra: Any) -> Response:
    context = get_storefront_context(request, db, page_title=t("checkout.page.title", request.state.language), **extra)
    return render(request, f"checkout/storefront/{template}", context, status_code=status_code)


def _empty(request: Request, db: SessionDep, status_code: int = 200, messages: list[str] | None = None) -> Response:
    return _render(request, db, "empty.html", status_code=status_code, messages=messages or [])


def _form_page(
    request: Request,
    db: SessionDep,
    store: StoreInfo,
    customer: Customer | None,
    cart: Cart,
    *,
    values: dict[str, str],
    errors: dict[str, str] | None = None,
    messages: list[str] | None = None,
    alert: str = "",
    status_code: int = 200,
) -> Response:
    language = request.state.language
    shipping = checkout_service.shipping_methods(db, store_id=store.id, cart=cart, language=language)
    payments = checkout_service.payment_methods(db, store_id=store.id, language=language)
    values = dict(values)
    if shipping:
        values.setdefault("shipping_method", shipping[0].code)
    if payments:
        values.setdefault("payment_method", payments[0].code)
    return _render(
        request,
        db,
        "form.html",
        status_code=status_code,
        lines=cart.lines,
        totals=cart_service.totals(cart),
        shipping_methods=shipping,
        payment_methods=payments,
        discount_offers=[offer for offer, _provider in checkout_service.discount_offers(
            db, store_id=store.id, cart=cart, customer=customer, language=language)],
        addresses=list(customer.addresses) if customer is not None else [],
        signed_in=customer is not None,
        countries=country_options(language),
        values=values,
        errors=errors or {},
        messages=messages or [],
        alert=alert,
    )


def _review_page(
    request: Request,
    db: SessionDep,
    store: StoreInfo,
    customer: Customer | None,
    cart: Cart,
    values: dict[str, str],
    *,
    messages: list[str] | None = None,
    alert: str = "",
    status_code: int = 200,
) -> Response:
    """The review of a valid form, with a fresh idempotency key; the form again when the form
    no longer fits (a shipping method switched off meanwhile)."""
    language = request.state.language
    try:
        form = checkout_service.clean_form(
            db, store_id=store.id, raw=nested(values), cart=cart, customer=customer, language=language
        )
    except CheckoutInputError as exc:
        return _form_page(request, db, store, customer, cart, values=values,
                          errors=field_messages(exc, language), messages=messages, status_code=422)
    quote = checkout_service.quote(db, cart=cart, shipping=form.shipping, language=language,
                                   discount_cents=form.discount_cents)
    return _render(
        request,
        db,
        "review.html",
        status_code=status_code,
        form=form,
        quote=quote,
        hidden=sorted(values.items()),
        idempotency_key=uuid.uuid4().hex,
        messages=messages or [],
        alert=alert,
    )


def _cart(request: Request, db: SessionDep, store: StoreInfo) -> tuple[Cart | None, list[str]]:
    cart = cart_service.find(db, store_id=store.id, token=cart_token(request))
    refreshed = cart_service.refresh(db, cart=cart, language=request.state.language)
    if refreshed.cart is None or not refreshed.cart.lines:
        return None, refreshed.messages
    return refreshed.cart, refreshed.messages


@router.get("/checkout")
def checkout_page(request: Request, db: SessionDep, store: CurrentStore, customer: OptionalCustomer) -> Response:
    """The checkout form (a friendly page pointing back to the shop when the cart is empty)."""
    cart, messages = _cart(request, db, store)
    if cart is None:
        return _empty(request, db, messages=messages)
    return _form_page(request, db, store, customer, cart, values=_initial_values(customer), messages=messages)


@router.post("/checkout/review")
def review(
    request: Request, db: SessionDep, store: CurrentStore, customer: OptionalCustomer, form: PostedForm
) -> Response:
    """Check the form; show the review (or the form again with a message at each bad field)."""
    values = form_values(form)
    cart, messages = _cart(request, db, store)
    if cart is None:
        return _empty(request, db)
    if messages:
        return _form_page(request, db, store, customer, cart, values=values, messages=messages, status_code=409)
    return _review_page(request, db, store, customer, cart, values)


@router.post("/checkout/edit")
def edit(
    request: Request, db: SessionDep, store: CurrentStore, customer: OptionalCustomer, form: PostedForm
) -> Response:
    """Back from the review to the form, with everything typed kept."""
    values = form_values(form)
    cart, messages = _cart(request, db, store)
    if cart is None:
        return _empty(request, db)
    return _form_page(request, db, store, customer, cart, values=values, messages=messages)


@router.post("/checkout/place", dependencies=[RateLimited("checkout.place", ORDERS_PER_CLIENT)])
def place(
    request: Request, db: SessionDep, store: CurrentStore, customer: OptionalCustomer, form: PostedForm
) -> Response:
    """Place the order and go to its confirmation; on a problem, the review or the form again."""
    values = form_values(form)
    language = request.state.language
    expected_text = str(form.get("expected_total_cents") or "")
    root = storefront_root(request)
    try:
        placed = checkout_service.place(
            db,
            store_id=store.id,
            cart_token=cart_token(request),
            raw=nested(values),
            key=form.get("idempotency_key"),
            customer=customer,
            language=language,
            expected_total_cents=int(expected_text) if expected_text.isdigit() else None,
            site_root=site_root(request),
        )
    except CheckoutInputError as exc:
        db.rollback()
        cart, _ = _cart(request, db, store)
        if cart is None:
            return _empty(request, db)
        return _form_page(request, db, store, customer, cart, values=values,
                          errors=field_messages(exc, language), status_code=422)
    except EmptyCartError:
        db.rollback()
        return _empty(request, db, status_code=409)
    except CheckoutConflictError as exc:
        db.rollback()
        details = [str(e.get("message")) for e in exc.errors if e.get("message")]
        cart, _ = _cart(request, db, store)
        if cart is None:
            return _empty(request, db, status_code=409, messages=[exc.message, *details])
        if isinstance(exc, CartChangedError | PriceChangedError | KeySpentError):
            return _review_page(request, db, store, customer, cart, values, messages=details,
                                alert=exc.message, status_code=409)
        return _form_page(request, db, store, customer, cart, values=values, messages=details,
                          alert=exc.message, status_code=409)
    return RedirectResponse(root + confirmation_path(placed.order), status_code=303)


def _confirmation(request: Request, db: SessionDep, store: StoreInfo, number: str, token: str | None):
    try:
        return checkout_service.confirmation_order(db, store_id=store.id, number=number, token=token)
    except NotFoundError:
        raise HTTPException(status_code=404) from None


@router.get("/checkout/done/{number}")
def confirmation(request: Request, number: str, db: SessionDep, store: CurrentStore, token: str = "") -> Response:
    """Thank you: the order number, what it costs and how to pay (needs the order's token).
    Coming back from the provider's page, what the shopper approved there is settled first."""
    order = _confirmation(request, db, store, number, token)
    language = request.state.language
    if order.status == "pending_payment":
        checkout_service.settle_returned(db, order=order, language=language)
        order = _confirmation(request, db, store, number, token)
    payments = checkout_service.payments(db, order=order, language=language)
    payment = payments[-1] if payments else None
    failed = order.status == "pending_payment" and order.total_cents > 0 and (payment is None or payment.status == "failed")
    return _render(
        request,
        db,
        "done.html",
        order=order,
        payment=payment,
        payment_failed=failed,
        token=token,
        status_url=storefront_root(request) + order_service.status_path(order),
    )


@router.post("/checkout/done/{number}/pay", dependencies=[RateLimited("checkout.place", ORDERS_PER_CLIENT)])
def retry_payment(request: Request, number: str, db: SessionDep, store: CurrentStore, token: str = "") -> Response:
    """Start the payment again after it failed; back to the confirmation."""
    order = _confirmation(request, db, store, number, token)
    checkout_service.retry_payment(db, order=order, language=request.state.language, site_root=site_root(request))
    return RedirectResponse(storefront_root(request) + confirmation_path(order), status_code=303)
