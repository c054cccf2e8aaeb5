"""Definition of the Tenancy module."""

from orion_server.modules.base import MenuItem, ModuleDefinition, PermissionDefinition
from orion_server.modules.enums import FrontendType

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
            scope="admin",
        ),
        PermissionDefinition(
            id="tenancy.platforms.create",
            label_key="tenancy.permissions.platforms_create",
            description_key="tenancy.permissions.platforms_create_desc",
            category="tenancy",
            scope="admin",
        ),
        PermissionDefinition(
            id="tenancy.stores.view",
            label_key="tenancy.permissions.stores_view",
            description_key="tenancy.permissions.stores_view_desc",
            category="tenancy",
            scope="admin",
        ),
        PermissionDefinition(
            id="tenancy.stores.manage",
            label_key="tenancy.permissions.stores_manage",
            description_key="tenancy.permissions.stores_manage_desc",
            category="tenancy",
            scope="admin",
        ),
        PermissionDefinition(
            id="tenancy.merchants.manage",
            label_key="tenancy.permissions.merchants_manage",
            description_key="tenancy.permissions.merchants_manage_desc",
            category="tenancy",
            scope="admin",
        ),
    ],
    menu_items={
        FrontendType.ADMIN: [
            MenuItem(
                id="platforms",
                label_key="tenancy.menu.platforms",
                path="/admin/platforms",
                permission=None,
                icon="layers",
                order=10,
            ),
            MenuItem(
                id="stores",
                label_key="tenancy.menu.stores",
                path="/admin/stores",
                permission=None,
                icon="store",
                order=20,
            ),
        ],
    },
)
