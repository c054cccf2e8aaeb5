"""Definition of the Loyalty module."""

from orion_server.modules.base import ModuleDefinition, PermissionDefinition

loyalty_module = ModuleDefinition(
    code="loyalty",
    name="Loyalty",
    description="Stamp and points loyalty programs with wallet integration.",
    version="1.0.0",
    is_core=False,
    is_internal=False,
    requires=["customers"],
    features=["stamps", "points", "wallet_passes"],
    permissions=[
        PermissionDefinition(
            id="loyalty.view",
            label_key="loyalty.permissions.view",
            description_key="loyalty.permissions.view_desc",
            category="loyalty",
        ),
        PermissionDefinition(
            id="loyalty.manage",
            label_key="loyalty.permissions.manage",
            description_key="loyalty.permissions.manage_desc",
            category="loyalty",
        ),
        PermissionDefinition(
            id="loyalty.stamp",
            label_key="loyalty.permissions.stamp",
            description_key="loyalty.permissions.stamp_desc",
            category="loyalty",
        ),
        PermissionDefinition(
            id="loyalty.void",
            label_key="loyalty.permissions.void",
            description_key="loyalty.permissions.void_desc",
            category="loyalty",
        ),
    ],
)
