"""FastAPI dependencies for the signed-in shopper: ``OptionalCustomer`` and ``CurrentCustomer``.

The ``orion_customer`` cookie holds a session token; the session counts only in the store it
belongs to, so a customer of store A is not signed in at store B. Other modules use these in
their storefront routes (``customer: CurrentCustomer``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request, Response
from sqlalchemy.orm import Session

from modules.contracts.storefront_customer import ShopperLogin, announce_shopper_login
from modules.customers.models import Customer
from modules.customers.services import CUSTOMER_COOKIE, customer_service
from orion_server.config import get_settings
from orion_server.deps import LoginRequired, SessionDep, storefront_root


def get_optional_customer(request: Request, db: SessionDep) -> Customer | None:
    """The shopper signed in at this request's store, or None."""
    if hasattr(request.state, "customer"):
        return request.state.customer
    store = getattr(request.state, "store", None)
    customer = None
    if store is not None:
        found = customer_service.load_session(db, request.cookies.get(CUSTOMER_COOKIE))
        if found is not None and found.customer.store_id == store.id:
            customer = found.customer
    request.state.customer = customer
    if customer is not None:
        _follow_language(request, db, store, customer)
    return customer


def _follow_language(request: Request, db: Session, store: Any, customer: Customer) -> None:
    """The storefront's language order starts with the customer's preference; a language the
    customer picks (``?lang=``, the switcher) becomes their preference, so it sticks across
    their pages, their devices and the e-mails sent to them."""
    allowed = list(store.languages) or [store.default_language]
    language = getattr(request.state, "language", None)
    if getattr(request.state, "language_explicit", False):
        if language in allowed and language != customer.preferred_language:
            customer_service.update_profile(
                db, store_id=store.id, customer_id=customer.id, preferred_language=language
            )
    elif customer.preferred_language in allowed:
        request.state.language = customer.preferred_language


OptionalCustomer = Annotated[Customer | None, Depends(get_optional_customer)]


def get_current_customer(request: Request, customer: OptionalCustomer) -> Customer:
    """The signed-in shopper; pages redirect to the login form, the API answers 401."""
    if customer is None:
        raise LoginRequired(storefront_root(request) + "account/login")
    return customer


CurrentCustomer = Annotated[Customer, Depends(get_current_customer)]


def set_customer_cookie(response: Response, token: str) -> None:
    """Put a session token in the HttpOnly, SameSite=Lax customer cookie."""
    settings = get_settings()
    response.set_cookie(
        CUSTOMER_COOKIE,
        token,
        max_age=settings.session_days * 86400,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        path="/",
    )


def clear_customer_cookie(response: Response) -> None:
    """Remove the customer cookie."""
    settings = get_settings()
    response.delete_cookie(
        CUSTOMER_COOKIE, httponly=True, samesite="lax", secure=settings.secure_cookies, path="/"
    )


def announce_login(
    db: SessionDep, *, request: Request, response: Response, customer: Customer, registered: bool = False
) -> None:
    """Run the storefront sign-in hooks of the enabled modules (the cart merges the anonymous
    cart into the customer's); they may set their own cookies on ``response``."""
    announce_shopper_login(
        db,
        ShopperLogin(
            store_id=customer.store_id,
            customer_id=customer.id,
            registered=registered,
            request=request,
            response=response,
        ),
    )
