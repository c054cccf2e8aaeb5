"""Definition of the Cart module."""

from typing import Any

from orion_server.modules.base import ModuleDefinition, PermissionDefinition
from orion_server.modules.enums import FrontendType


def _storefront_context(request: Any, db: Any, platform: Any) -> dict[str, Any]:
    """``cart_summary`` for the storefront header (imported late: the models need the app)."""
    from modules.cart.context import storefront_context

    return storefront_context(request, db, platform)


def _on_startup() -> None:
    """Merge the anonymous cart into the customer's on sign-in (through contracts)."""
    from modules.cart.integrations import register_hooks

    register_hooks()


cart_module = ModuleDefinition(
    code="cart",
    name="Cart",
    description="Shopping carts kept in the database, re-checked against prices and stock.",
    version="1.0.0",
    is_core=False,
    is_internal=False,
    requires=["inventory"],
    features=["shopping_cart"],
    permissions=[
        PermissionDefinition(
            id="cart.view",
            label_key="cart.permissions.view",
            description_key="cart.permissions.view_desc",
            category="cart",
        ),
        PermissionDefinition(
            id="cart.manage",
            label_key="cart.permissions.manage",
            description_key="cart.permissions.manage_desc",
            category="cart",
        ),
    ],
    context_providers={FrontendType.STOREFRONT: _storefront_context},
    services_path="modules.cart.services",
    models_path="modules.cart.models",
    schemas_path="modules.cart.schemas",
    exceptions_path="modules.cart.exceptions",
    on_startup=_on_startup,
)
