"""Definition of the Checkout module."""

from modules.contracts.events import OrderStatusChanged
from orion_server.modules.base import MenuItem, ModuleDefinition, PermissionDefinition
from orion_server.modules.enums import FrontendType

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
    listeners={OrderStatusChanged: ".listeners:on_order_status_changed"},
)
