"""Customers' part in the storefront-customer contract: who is signed in, for modules that may
not import customers (orders' "My orders" pages, the cart).

``register_hooks()`` is idempotent; the module definition calls it at start-up and tests call it
directly.
"""

from __future__ import annotations

from typing import Any

from modules.contracts.storefront_customer import (
    CurrentShopper,
    ShopperLogin,
    fire_shopper_login,
    register_resolver,
)

LOGIN_PATH = "account/login"


class CustomerSessionResolver:
    """The shopper of the ``orion_customer`` cookie, signed in at the request's store."""

    login_path = LOGIN_PATH

    def current(self, request: Any, db: Any) -> CurrentShopper | None:
        from modules.customers.deps import get_optional_customer

        customer = get_optional_customer(request, db)
        if customer is None:
            return None
        return CurrentShopper(
            customer_id=customer.id,
            store_id=customer.store_id,
            email=customer.email,
            name=customer.full_name,
            language=customer.preferred_language,
        )


resolver = CustomerSessionResolver()


def announce_login(
    db: Any, *, request: Any, response: Any, customer: Any, registered: bool = False
) -> None:
    """Tell the login listeners (the cart) that ``customer`` just signed in at a storefront."""
    fire_shopper_login(
        db,
        ShopperLogin(
            store_id=customer.store_id,
            customer_id=customer.id,
            registered=registered,
            request=request,
            response=response,
        ),
    )


def register_hooks() -> None:
    """Register the signed-in shopper resolver (idempotent)."""
    register_resolver(resolver)
