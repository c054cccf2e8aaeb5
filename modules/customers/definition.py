"""Definition of the Customers module."""

from __future__ import annotations

from typing import Any

from orion_server.modules.base import MenuItem, ModuleDefinition, PermissionDefinition
from orion_server.modules.enums import FrontendType


def _get_storefront_context(request: Any, db: Any, platform: Any) -> dict[str, Any]:
    """``current_customer`` (the shopper signed in here, or None) and the header's account link."""
    from orion_server.i18n import t

    customer = _signed_in_customer(request, db)
    language = getattr(request.state, "language", None)
    root = getattr(request.state, "storefront_root", None) or "/"
    if customer is not None:
        link = {"url": root + "account/", "label": t("customers.nav.account", language)}
    else:
        link = {"url": root + "account/login", "label": t("customers.nav.login", language)}
    return {"current_customer": customer, "account_link": link}


def _on_startup() -> None:
    """Tell other modules who is signed in at a storefront (through contracts)."""
    from modules.customers.integrations import register_hooks

    register_hooks()


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


customers_module = ModuleDefinition(
    code="customers",
    name="Customers",
    description="Customer database, profiles and segmentation.",
    version="1.0.0",
    is_core=True,
    is_internal=False,
    requires=[],
    features=["customer_profiles", "customer_segments"],
    permissions=[
        PermissionDefinition(
            id="customers.view",
            label_key="customers.permissions.view",
            description_key="customers.permissions.view_desc",
            category="customers",
        ),
        PermissionDefinition(
            id="customers.edit",
            label_key="customers.permissions.edit",
            description_key="customers.permissions.edit_desc",
            category="customers",
        ),
        PermissionDefinition(
            id="customers.export",
            label_key="customers.permissions.export",
            description_key="customers.permissions.export_desc",
            category="customers",
        ),
        PermissionDefinition(
            id="customers.delete",
            label_key="customers.permissions.delete",
            description_key="customers.permissions.delete_desc",
            category="customers",
        ),
    ],
    menu_items={
        FrontendType.STORE: [
            MenuItem(
                id="customers",
                label_key="customers.menu.customers",
                path="/store/{store_code}/customers",
                permission="customers.view",
                icon="users",
                order=40,
            ),
            MenuItem(
                id="customers-segments",
                label_key="customers.menu.segments",
                path="/store/{store_code}/customers/segments",
                permission="customers.view",
                icon="filter",
                order=41,
            ),
        ],
    },
    context_providers={FrontendType.STOREFRONT: _get_storefront_context},
    services_path="modules.customers.services",
    models_path="modules.customers.models",
    schemas_path="modules.customers.schemas",
    exceptions_path="modules.customers.exceptions",
    on_startup=_on_startup,
)
