"""Definition of the Customers module."""

from __future__ import annotations

from modules.contracts.customer_directory import CustomerDirectory
from modules.contracts.storefront_customer import ShopperResolver
from orion_server.modules.base import MenuItem, ModuleDefinition, PermissionDefinition
from orion_server.modules.enums import FrontendType

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
    visitor_providers={FrontendType.STOREFRONT: ".context:storefront_context"},
    provides={
        ShopperResolver: ".providers:CustomerSessionResolver",
        CustomerDirectory: ".providers:CustomerRecords",
    },
    widget_provider=".dashboard:CustomersWidgets",
    metrics_provider=".dashboard:CustomersMetrics",
)
