"""Storefront JSON API of the Customers module, at ``{storefront root}api/v1/customers``.

``/me`` reads and changes the signed-in shopper's profile; ``/session`` signs in (POST) and out
(DELETE). Unsafe methods need the ``X-CSRF-Token`` header (the ``orion_csrf`` cookie's value).
"""

from __future__ import annotations

from fastapi import Request, Response, status
from sqlalchemy.orm import Session

from modules.customers.deps import (
    CurrentCustomer,
    announce_login,
    clear_customer_cookie,
    set_customer_cookie,
)
from modules.customers.models import Customer
from modules.customers.schemas import MeOut, ProfileUpdate, SessionCreate
from modules.customers.services import CUSTOMER_COOKIE, customer_service
from orion_server.deps import CurrentStore, SessionDep
from orion_server.routing import ModuleRouter

router = ModuleRouter()


def _me(db: Session, customer: Customer) -> MeOut:
    pending = customer_service.pending_email(db, customer_id=customer.id)
    return MeOut.model_validate(customer).model_copy(update={"pending_email": pending})


@router.get("/me", response_model=MeOut)
def me(db: SessionDep, customer: CurrentCustomer) -> MeOut:
    """The signed-in shopper with their addresses and any e-mail change waiting for its
    confirmation (401 when signed out)."""
    return _me(db, customer)


@router.patch("/me", response_model=MeOut)
def update_me(
    body: ProfileUpdate, db: SessionDep, store: CurrentStore, customer: CurrentCustomer
) -> MeOut:
    """Change profile fields (422 with field messages for bad input). A new ``email`` (with
    ``email_password``) is not taken at once: a link goes to it, and ``pending_email`` shows it
    until the link is opened."""
    changes = body.model_dump(exclude_unset=True)
    updated = customer_service.update_profile(
        db, store_id=store.id, customer_id=customer.id, **changes
    )
    return _me(db, updated)


@router.post("/session", response_model=MeOut)
def sign_in(
    body: SessionCreate, request: Request, response: Response, db: SessionDep, store: CurrentStore
) -> MeOut:
    """Sign in: a new session cookie (401 for wrong credentials)."""
    customer = customer_service.authenticate(
        db, store_id=store.id, email=body.email, password=body.password,
        address=request.client.host if request.client else None,
    )
    old = request.cookies.get(CUSTOMER_COOKIE)
    if old:
        customer_service.revoke_session(db, token=old)
    set_customer_cookie(response, customer_service.start_session(db, customer=customer))
    announce_login(db, request=request, response=response, customer=customer)
    return _me(db, customer)


@router.delete("/session", status_code=status.HTTP_204_NO_CONTENT)
def sign_out(request: Request, db: SessionDep) -> Response:
    """Sign out (also when already signed out)."""
    customer_service.revoke_session(db, token=request.cookies.get(CUSTOMER_COOKIE))
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    clear_customer_cookie(response)
    return response
