"""Definition of the Cart module."""

from orion_server.modules.base import ModuleDefinition, PermissionDefinition

cart_module = ModuleDefinition(
    code="cart",
    name="Cart",
    description="Shopping cart management with session-based carts.",
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
    services_path="modules.cart.services",
    models_path="modules.cart.models",
    schemas_path="modules.cart.schemas",
    exceptions_path="modules.cart.exceptions",
)
