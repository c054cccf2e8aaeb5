"""What customers provides to other modules: who is signed in at a storefront
(``modules.contracts.storefront_customer.ShopperResolver``, declared in the definition)."""

from __future__ import annotations

from typing import Any

from modules.contracts.storefront_customer import CurrentShopper
from modules.customers.services.rules import CUSTOMER_COOKIE

LOGIN_PATH = "account/login"


class CustomerSessionResolver:
    """The shopper of the ``orion_customer`` cookie, signed in at the request's store."""

    login_path = LOGIN_PATH
    session_cookie = CUSTOMER_COOKIE

    def current(self, request: Any, db: Any) -> CurrentShopper | None:
        """The customer signed in at the request's store, or None."""
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
