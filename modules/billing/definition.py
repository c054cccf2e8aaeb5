"""Definition of the Billing & Subscriptions module."""

from orion_server.modules.base import ModuleDefinition, PermissionDefinition

billing_module = ModuleDefinition(
    code="billing",
    name="Billing & Subscriptions",
    description="Platform subscriptions, tier limits and store invoices.",
    version="1.0.0",
    is_core=True,
    is_internal=False,
    requires=["payments"],
    features=["subscriptions", "tier_limits", "invoices"],
    permissions=[
        PermissionDefinition(
            id="billing.view",
            label_key="billing.permissions.view",
            description_key="billing.permissions.view_desc",
            category="billing",
        ),
        PermissionDefinition(
            id="billing.manage",
            label_key="billing.permissions.manage",
            description_key="billing.permissions.manage_desc",
            category="billing",
        ),
        PermissionDefinition(
            id="billing.invoices.view",
            label_key="billing.permissions.invoices_view",
            description_key="billing.permissions.invoices_view_desc",
            category="billing",
        ),
        PermissionDefinition(
            id="billing.invoices.download",
            label_key="billing.permissions.invoices_download",
            description_key="billing.permissions.invoices_download_desc",
            category="billing",
        ),
        PermissionDefinition(
            id="billing.usage.view",
            label_key="billing.permissions.usage_view",
            description_key="billing.permissions.usage_view_desc",
            category="billing",
        ),
    ],
    services_path="modules.billing.services",
    models_path="modules.billing.models",
    schemas_path="modules.billing.schemas",
    exceptions_path="modules.billing.exceptions",
)
