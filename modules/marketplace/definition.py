"""Definition of the Marketplace module."""

from orion_server.modules.base import ModuleDefinition, PermissionDefinition

marketplace_module = ModuleDefinition(
    code="marketplace",
    name="Marketplace",
    description="Letzshop integration: product import and export, marketplace orders.",
    version="1.0.0",
    is_core=False,
    is_internal=False,
    requires=["inventory"],
    features=["letzshop_export", "letzshop_import", "marketplace_orders"],
    permissions=[
        PermissionDefinition(
            id="marketplace.view",
            label_key="marketplace.permissions.view",
            description_key="marketplace.permissions.view_desc",
            category="marketplace",
        ),
        PermissionDefinition(
            id="marketplace.import",
            label_key="marketplace.permissions.import",
            description_key="marketplace.permissions.import_desc",
            category="marketplace",
        ),
        PermissionDefinition(
            id="marketplace.export",
            label_key="marketplace.permissions.export",
            description_key="marketplace.permissions.export_desc",
            category="marketplace",
        ),
    ],
)
