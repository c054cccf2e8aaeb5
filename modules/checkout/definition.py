"""Definition of the Checkout module."""

from orion_server.modules.base import ModuleDefinition, PermissionDefinition

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
    services_path="modules.checkout.services",
    models_path="modules.checkout.models",
    schemas_path="modules.checkout.schemas",
    exceptions_path="modules.checkout.exceptions",
)
