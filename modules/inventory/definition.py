"""Definition of the Inventory module."""

from orion_server.modules.base import MenuItem, ModuleDefinition, PermissionDefinition
from orion_server.modules.enums import FrontendType

inventory_module = ModuleDefinition(
    code="inventory",
    name="Inventory",
    description="Stock management and locations.",
    version="1.0.0",
    is_core=False,
    is_internal=False,
    requires=[],
    features=["stock_levels", "locations", "stock_movements"],
    permissions=[
        PermissionDefinition(
            id="inventory.view",
            label_key="inventory.permissions.view",
            description_key="inventory.permissions.view_desc",
            category="inventory",
        ),
        PermissionDefinition(
            id="inventory.adjust",
            label_key="inventory.permissions.adjust",
            description_key="inventory.permissions.adjust_desc",
            category="inventory",
        ),
    ],
    menu_items={
        FrontendType.STORE: [
            MenuItem(
                id="inventory",
                label_key="inventory.menu.inventory",
                path="/store/{store_code}/inventory",
                permission="inventory.view",
                icon="package",
                order=30,
            ),
        ],
    },
    widget_provider=".dashboard:InventoryWidgets",
    metrics_provider=".dashboard:InventoryMetrics",
)
