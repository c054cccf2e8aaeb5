"""Storefront pages of the Customers module: register, sign in and out, the account with its
addresses, and the forgotten-password flow. Paths are relative to the storefront root."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response

from modules.customers.deps import (
    CurrentCustomer,
    OptionalCustomer,
    announce_login,
    clear_customer_cookie,
    set_customer_cookie,
)
from modules.customers.exceptions import field_messages
from modules.customers.models import Customer, CustomerAddress
from modules.customers.routes.forms import flash_for, safe_next, values_of
from modules.customers.services import CUSTOMER_COOKIE, country_options, customer_service
from modules.customers.services.customer_service import ADDRESS_FIELDS
from orion_server.deps import CurrentStore, SessionDep, not_found_as_404, storefront_root
from orion_server.errors import OrionError
from orion_server.flash import with_done
from orion_server.forms import PostedForm, form_text
from orion_server.i18n import t
from orion_server.modules.context import get_storefront_context
from orion_server.rate_limits import RateLimited
from orion_server.routing import ModuleRouter
from orion_server.templating import render
from orion_server.tenants import StoreInfo

router = ModuleRouter(dependencies=[Depends(not_found_as_404)])
EMAILS_PER_CLIENT = "20/hour"
"""Registrations, reset links and confirmation links one client address may ask for: each sends
an e-mail through the shop's server to any address typed."""

ACCOUNT_FLASHES = {
    "registered",
    "signed_in",
    "profile_saved",
    "password_changed",
    "address_added",
    "address_saved",
    "address_deleted",
    "password_reset",
    "email_pending",
}
REGISTER_FIELDS = ("email", "first_name", "last_name", "phone", "preferred_language")
PROFILE_FIELDS = ("email", "first_name", "last_name", "phone", "preferred_language")
ADDRESS_TEXT = ("label", "name", "street", "postal_code", "city", "country")
ADDRESS_FLAGS = ("is_default_shipping", "is_default_billing")


def _redirect(request: Request, path: str) -> RedirectResponse:
    return RedirectResponse(storefront_root(request) + path, status_code=303)


def _languages(store: StoreInfo) -> list[tuple[str, str]]:
    from orion_server.config import LANGUAGE_NAMES

    codes = list(store.languages) or [store.default_language]
    return [(code, LANGUAGE_NAMES.get(code, code)) for code in codes]


def _page(
    request: Request,
    db: SessionDep,
    template: str,
    title_key: str,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    language = request.state.language
    extra.setdefault("errors", {})
    extra.setdefault("values", {})
    context = get_storefront_context(
        request,
        db,
        page_title=t(title_key, language),
        account_root=storefront_root(request) + "account/",
        **extra,
    )
    return render(request, f"customers/storefront/{template}", context, status_code=status_code)


def _form_error(exc: OrionError) -> None:
    if exc.status >= 500 or exc.status == 404:
        raise exc


# -- registration and sign-in -------------------------------------------------------------


@router.get("/account/register")
def register_form(
    request: Request, db: SessionDep, store: CurrentStore, customer: OptionalCustomer
) -> Response:
    """The registration form (a signed-in customer goes to the account page)."""
    if customer is not None:
        return _redirect(request, "account/")
    return _page(
        request,
        db,
        "register.html",
        "customers.register.title",
        values={"preferred_language": request.state.language},
        language_options=_languages(store),
    )


@router.post("/account/register", dependencies=[RateLimited("customers.email", EMAILS_PER_CLIENT)])
def register(request: Request, db: SessionDep, store: CurrentStore, form: PostedForm) -> Response:
    """Create the account, sign it in and show the account page."""
    values = values_of(form, REGISTER_FIELDS, ("marketing_consent",))
    try:
        customer = customer_service.register(
            db,
            store_id=store.id,
            password=form_text(form, "password"),
            **{k: values[k] for k in (*REGISTER_FIELDS, "marketing_consent")},
        )
    except OrionError as exc:
        _form_error(exc)
        db.rollback()
        return _page(
            request,
            db,
            "register.html",
            "customers.register.title",
            status_code=exc.status,
            values=values,
            errors=field_messages(exc, request.state.language),
            language_options=_languages(store),
        )
    response = _redirect(request, with_done("account/", "registered"))
    _sign_in(request, db, response, customer, registered=True)
    return response


def _sign_in(
    request: Request,
    db: SessionDep,
    response: Response,
    customer: Customer,
    *,
    registered: bool = False,
) -> None:
    old = request.cookies.get(CUSTOMER_COOKIE)
    if old:
        customer_service.revoke_session(db, token=old)
    set_customer_cookie(response, customer_service.start_session(db, customer=customer))
    # The sign-in hooks (the cart merges the anonymous cart) may set their own cookies.
    announce_login(db, request=request, response=response, customer=customer, registered=registered)


@router.get("/account/login")
def login_form(
    request: Request, db: SessionDep, customer: OptionalCustomer, next: str = ""
) -> Response:
    """The sign-in form."""
    root = storefront_root(request)
    if customer is not None:
        return RedirectResponse(safe_next(next, root), status_code=303)
    return _page(
        request,
        db,
        "login.html",
        "customers.login.title",
        next=safe_next(next, root),
        flash=flash_for(
            request.query_params.get("done", ""), ACCOUNT_FLASHES, request.state.language
        ),
    )


@router.post("/account/login")
def login(request: Request, db: SessionDep, store: CurrentStore, form: PostedForm) -> Response:
    """Check the credentials, start a new session and go where the shopper was heading."""
    root = storefront_root(request)
    target = safe_next(form_text(form, "next"), root)
    email = form_text(form, "email")
    try:
        customer = customer_service.authenticate(
            db, store_id=store.id, email=email, password=form_text(form, "password"),
            address=request.client.host if request.client else None,
        )
    except OrionError as exc:
        _form_error(exc)
        db.rollback()
        page = _page(
            request,
            db,
            "login.html",
            "customers.login.title",
            status_code=exc.status,
            values={"email": email},
            errors=field_messages(exc, request.state.language),
            next=target,
        )
        page.headers.update(exc.headers())
        return page
    response = RedirectResponse(target, status_code=303)
    _sign_in(request, db, response, customer)
    return response


@router.post("/account/logout")
def logout(request: Request, db: SessionDep) -> Response:
    """End the session and go back to the storefront's home page."""
    customer_service.revoke_session(db, token=request.cookies.get(CUSTOMER_COOKIE))
    response = _redirect(request, "")
    clear_customer_cookie(response)
    return response


# -- the account --------------------------------------------------------------------------


@router.get("/account")
def account_without_slash(request: Request) -> Response:
    """``/account`` is ``/account/``."""
    return _redirect(request, "account/")


def _account_page(
    request: Request,
    db: SessionDep,
    store: StoreInfo,
    customer: Customer,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    language = request.state.language
    return _page(
        request,
        db,
        "account.html",
        "customers.account.title",
        status_code=status_code,
        customer=customer,
        values=values
        or {name: getattr(customer, name) for name in (*PROFILE_FIELDS, "marketing_consent")},
        errors=errors or {},
        language_options=_languages(store),
        countries=dict(country_options(language)),
        pending_email=customer_service.pending_email(db, customer_id=customer.id),
        flash=flash_for(request.query_params.get("done", ""), ACCOUNT_FLASHES, language),
    )


@router.get("/account/")
def account(
    request: Request, db: SessionDep, store: CurrentStore, customer: CurrentCustomer
) -> Response:
    """The profile and the address book."""
    return _account_page(request, db, store, customer)


@router.post("/account/profile")
def save_profile(
    request: Request, db: SessionDep, store: CurrentStore, customer: CurrentCustomer, form: PostedForm
) -> Response:
    """Save the profile form."""
    values = values_of(form, PROFILE_FIELDS, ("marketing_consent",))
    try:
        customer_service.update_profile(db, store_id=store.id, customer_id=customer.id, **values,
                                        email_password=form_text(form, "email_password"))
    except OrionError as exc:
        _form_error(exc)
        db.rollback()
        errors = field_messages(exc, request.state.language)
        return _account_page(
            request, db, store, customer, values=values, errors=errors, status_code=exc.status
        )
    asked = (values.get("email") or "").strip().lower()
    moving = bool(asked) and asked != customer.email
    return _redirect(request, with_done("account/", "email_pending" if moving else "profile_saved"))


@router.post("/account/password")
def change_password(
    request: Request, db: SessionDep, store: CurrentStore, customer: CurrentCustomer, form: PostedForm
) -> Response:
    """Change the password (the current one is asked for)."""
    try:
        customer_service.change_password(
            db,
            store_id=store.id,
            customer_id=customer.id,
            current_password=form_text(form, "current_password"),
            new_password=form_text(form, "new_password"),
            keep_session_token=request.cookies.get(CUSTOMER_COOKIE),
        )
    except OrionError as exc:
        _form_error(exc)
        db.rollback()
        errors = field_messages(exc, request.state.language)
        return _account_page(request, db, store, customer, errors=errors, status_code=exc.status)
    return _redirect(request, with_done("account/", "password_changed"))


# -- addresses ----------------------------------------------------------------------------


def _address_values(address: CustomerAddress | None) -> dict[str, Any]:
    if address is None:
        return {"country": "LU"}
    return {name: getattr(address, name) for name in ADDRESS_FIELDS}


def _address_form(
    request: Request,
    db: SessionDep,
    *,
    address: CustomerAddress | None,
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    action = f"account/addresses/{address.id}/edit" if address else "account/addresses/new"
    return _page(
        request,
        db,
        "address_form.html",
        "customers.address.edit_title" if address else "customers.address.new_title",
        status_code=status_code,
        address=address,
        values=values,
        errors=errors or {},
        action=storefront_root(request) + action,
        countries=country_options(request.state.language),
    )


@router.get("/account/addresses/new")
def new_address_form(request: Request, db: SessionDep, customer: CurrentCustomer) -> Response:
    """An empty address form (Luxembourg preselected)."""
    return _address_form(request, db, address=None, values=_address_values(None))


@router.post("/account/addresses/new")
def add_address(
    request: Request, db: SessionDep, store: CurrentStore, customer: CurrentCustomer, form: PostedForm
) -> Response:
    """Add the address."""
    values = values_of(form, ADDRESS_TEXT, ADDRESS_FLAGS)
    try:
        customer_service.add_address(db, store_id=store.id, customer_id=customer.id, values=values)
    except OrionError as exc:
        _form_error(exc)
        db.rollback()
        errors = field_messages(exc, request.state.language)
        return _address_form(
            request, db, address=None, values=values, errors=errors, status_code=exc.status
        )
    return _redirect(request, with_done("account/", "address_added"))


@router.get("/account/addresses/{address_id:int}/edit")
def edit_address_form(
    request: Request,
    address_id: int,
    db: SessionDep,
    store: CurrentStore,
    customer: CurrentCustomer,
) -> Response:
    """The form filled with one of the customer's addresses."""
    address = customer_service.get_address(
        db, store_id=store.id, customer_id=customer.id, address_id=address_id
    )
    return _address_form(request, db, address=address, values=_address_values(address))


@router.post("/account/addresses/{address_id:int}/edit")
def save_address(
    request: Request,
    address_id: int,
    db: SessionDep,
    store: CurrentStore,
    customer: CurrentCustomer,
    form: PostedForm,
) -> Response:
    """Save one of the customer's addresses."""
    address = customer_service.get_address(
        db, store_id=store.id, customer_id=customer.id, address_id=address_id
    )
    values = values_of(form, ADDRESS_TEXT, ADDRESS_FLAGS)
    try:
        customer_service.update_address(
            db, store_id=store.id, customer_id=customer.id, address_id=address_id, values=values
        )
    except OrionError as exc:
        _form_error(exc)
        db.rollback()
        errors = field_messages(exc, request.state.language)
        return _address_form(
            request, db, address=address, values=values, errors=errors, status_code=exc.status
        )
    return _redirect(request, with_done("account/", "address_saved"))


@router.post("/account/addresses/{address_id:int}/delete")
def delete_address(
    request: Request,
    address_id: int,
    db: SessionDep,
    store: CurrentStore,
    customer: CurrentCustomer,
) -> Response:
    """Remove one of the customer's addresses."""
    customer_service.delete_address(
        db, store_id=store.id, customer_id=customer.id, address_id=address_id
    )
    return _redirect(request, with_done("account/", "address_deleted"))


# -- forgotten password -------------------------------------------------------------------


@router.get("/account/forgot")
def forgot_form(request: Request, db: SessionDep) -> Response:
    """Ask for the e-mail address to send a reset link to."""
    return _page(request, db, "forgot.html", "customers.forgot.title")


@router.post("/account/forgot", dependencies=[RateLimited("customers.email", EMAILS_PER_CLIENT)])
def forgot(request: Request, db: SessionDep, store: CurrentStore, form: PostedForm) -> Response:
    """Send a reset link when an account has that address; the answer is the same either way."""
    email = form_text(form, "email").strip()
    if not email:
        errors = {"email": t("customers.errors.email_required", request.state.language)}
        return _page(
            request, db, "forgot.html", "customers.forgot.title", status_code=422, errors=errors
        )
    customer_service.request_password_reset(db, store_id=store.id, email=email)
    return _page(request, db, "forgot.html", "customers.forgot.title", sent=True)


@router.get("/account/reset")
def reset_form(request: Request, db: SessionDep, store: CurrentStore, token: str = "") -> Response:
    """The new-password form of a reset link (or why the link no longer works)."""
    try:
        customer_service.check_reset_token(db, store_id=store.id, token=token)
    except OrionError:
        return _page(request, db, "reset.html", "customers.reset.title", invalid=True)
    return _page(request, db, "reset.html", "customers.reset.title", token=token)


@router.post("/account/reset")
def reset(request: Request, db: SessionDep, store: CurrentStore, form: PostedForm) -> Response:
    """Set the new password; the link is then spent and the shopper signs in with it."""
    token = form_text(form, "token")
    try:
        customer_service.reset_password(
            db, store_id=store.id, token=token, new_password=form_text(form, "password")
        )
    except OrionError as exc:
        _form_error(exc)
        db.rollback()
        errors = field_messages(exc, request.state.language)
        invalid = "form" in errors and "password" not in errors
        return _page(
            request,
            db,
            "reset.html",
            "customers.reset.title",
            status_code=exc.status,
            token=token,
            errors=errors,
            invalid=invalid,
        )
    response = _redirect(request, with_done("account/login", "password_reset"))
    clear_customer_cookie(response)
    return response


# -- confirming an address ----------------------------------------------------------------


@router.get("/account/confirm")
def confirm_form(request: Request, db: SessionDep, store: CurrentStore, token: str = "") -> Response:
    """What a link sent to an address confirms, with the button that does it (a mail scanner
    opening the link changes nothing)."""
    try:
        found = customer_service.check_confirmation(db, store_id=store.id, token=token)
    except OrionError:
        return _page(request, db, "confirm.html", "customers.confirm.title", invalid=True)
    return _page(request, db, "confirm.html", "customers.confirm.title", token=token, purpose=found.purpose,
                 email=found.email)


@router.post("/account/confirm")
def confirm(request: Request, db: SessionDep, store: CurrentStore, customer: OptionalCustomer,
            form: PostedForm) -> Response:
    """Spend the link: the guest orders join the account, or the new address takes effect."""
    try:
        found = customer_service.confirm(db, store_id=store.id, token=form_text(form, "token"))
    except OrionError as exc:
        _form_error(exc)
        db.rollback()
        errors = field_messages(exc, request.state.language)
        return _page(request, db, "confirm.html", "customers.confirm.title", status_code=exc.status,
                     invalid=True, error=errors.get("token"))
    signed_in = customer is not None and customer.id == found.customer_id
    return _page(request, db, "confirm.html", "customers.confirm.title", done=True, purpose=found.purpose,
                 email=found.email, signed_in=signed_in)


@router.post("/account/confirm-orders", dependencies=[RateLimited("customers.email", EMAILS_PER_CLIENT)])
def send_orders_link(request: Request, db: SessionDep, customer: CurrentCustomer) -> Response:
    """E-mail the link that adds the orders placed with the account's address as a guest."""
    customer_service.send_confirmation(db, customer=customer, purpose="orders")
    return _redirect(request, "account/orders?link_sent=1")
