"""Definition of the Checkout module."""

from orion_server.modules.base import MenuItem, ModuleDefinition, PermissionDefinition
from orion_server.modules.enums import FrontendType


def _on_startup() -> None:
    """Follow orders' status changes: release or commit the stock a checkout reserved."""
    from modules.checkout.integrations import register_hooks

    register_hooks()


checkout_module = ModuleDefinition(
    code="checkout",
    name="Checkout",
    description="Cart-to-order conversion and the checkout flow.",
    version="1.0.0",
    is_core=False,
    is_internal=False,
    requires=["cart", "orders", "customers"],
    features=["checkout_flow", "guest_checkout"],
    permissions=[
        PermissionDefinition(
            id="checkout.view",
            label_key="checkout.permissions.view",
            description_key="checkout.permissions.view_desc",
            category="checkout",
        ),
        PermissionDefinition(
            id="checkout.manage",
            label_key="checkout.permissions.manage",
            description_key="checkout.permissions.manage_desc",
            category="checkout",
        ),
    ],
    menu_items={
        FrontendType.STORE: [
            MenuItem(
                id="checkout-shipping",
                label_key="checkout.menu.shipping",
                path="/store/{store_code}/checkout/shipping",
                permission="checkout.manage",
                icon="truck",
                order=85,
            ),
        ],
    },
    services_path="modules.checkout.services",
    models_path="modules.checkout.models",
    schemas_path="modules.checkout.schemas",
    exceptions_path="modules.checkout.exceptions",
    on_startup=_on_startup,
)
