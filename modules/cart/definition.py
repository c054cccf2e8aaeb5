"""Definition of the Cart module."""

from modules.contracts.storefront_customer import ShopperLoginHook
from orion_server.modules.base import ModuleDefinition
from orion_server.modules.enums import FrontendType

cart_module = ModuleDefinition(
    code="cart",
    name="Cart",
    description="Shopping carts kept in the database, re-checked against prices and stock.",
    version="1.0.0",
    is_core=False,
    is_internal=False,
    requires=["inventory"],
    features=["shopping_cart"],
    visitor_providers={FrontendType.STOREFRONT: ".context:storefront_context"},
    provides={ShopperLoginHook: ".providers:MergeCartOnLogin"},
    metrics_provider=".dashboard:CartMetrics",
)
