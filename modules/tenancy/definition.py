"""Definition of the Tenancy module."""

from orion_server.modules.base import ModuleDefinition, PermissionDefinition

tenancy_module = ModuleDefinition(
    code="tenancy",
    name="Tenancy",
    description="Platforms, merchants, stores and admin users: the multi-tenant backbone.",
    version="1.0.0",
    is_core=True,
    is_internal=False,
    requires=[],
    features=["platform_management", "store_management", "merchant_management"],
    permissions=[
        PermissionDefinition(
            id="tenancy.platforms.manage",
            label_key="tenancy.permissions.platforms_manage",
            description_key="tenancy.permissions.platforms_manage_desc",
            category="tenancy",
        ),
        PermissionDefinition(
            id="tenancy.stores.view",
            label_key="tenancy.permissions.stores_view",
            description_key="tenancy.permissions.stores_view_desc",
            category="tenancy",
        ),
        PermissionDefinition(
            id="tenancy.stores.manage",
            label_key="tenancy.permissions.stores_manage",
            description_key="tenancy.permissions.stores_manage_desc",
            category="tenancy",
        ),
        PermissionDefinition(
            id="tenancy.merchants.manage",
            label_key="tenancy.permissions.merchants_manage",
            description_key="tenancy.permissions.merchants_manage_desc",
            category="tenancy",
        ),
    ],
    services_path="modules.tenancy.services",
    models_path="modules.tenancy.models",
    schemas_path="modules.tenancy.schemas",
    exceptions_path="modules.tenancy.exceptions",
)
