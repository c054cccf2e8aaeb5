"""Definition of the Customers module."""

from orion_server.modules.base import ModuleDefinition, PermissionDefinition

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
    services_path="modules.customers.services",
    models_path="modules.customers.models",
    schemas_path="modules.customers.schemas",
    exceptions_path="modules.customers.exceptions",
)
