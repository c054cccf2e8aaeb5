"""What customers adds to storefront pages: the signed-in customer and the account link."""

from __future__ import annotations

from typing import Any

from orion_server.deps import storefront_root
from orion_server.i18n import t
from orion_server.modules.context import PERSONAL_PAGE


def storefront_context(request: Any, db: Any, platform: Any) -> dict[str, Any]:
    """``current_customer`` (the shopper signed in here, or None) and the header's account link;
    a signed-in shopper's pages are made for them alone (never a copy from the page cache)."""
    customer = _signed_in_customer(request, db)
    language = getattr(request.state, "language", None)
    root = storefront_root(request)
    if customer is not None:
        link = {"url": root + "account/", "label": t("customers.nav.account", language)}
        return {"current_customer": customer, "account_link": link, PERSONAL_PAGE: True}
    link = {"url": root + "account/login", "label": t("customers.nav.login", language)}
    return {"current_customer": None, "account_link": link}


def _signed_in_customer(request: Any, db: Any) -> Any:
    if hasattr(request.state, "customer"):
        return request.state.customer
    from modules.customers.services import CUSTOMER_COOKIE, customer_service

    store = getattr(request.state, "store", None)
    token = request.cookies.get(CUSTOMER_COOKIE)
    if store is None or not token:
        return None
    found = customer_service.load_session(db, token)
    return found.customer if found is not None and found.customer.store_id == store.id else None
