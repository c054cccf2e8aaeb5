"""Definition of the Analytics & Reporting module."""

from orion_server.modules.base import ModuleDefinition, PermissionDefinition

analytics_module = ModuleDefinition(
    code="analytics",
    name="Analytics & Reporting",
    description="Dashboard analytics, custom reports and data exports.",
    version="1.0.0",
    is_core=False,
    is_internal=False,
    requires=[],
    features=["basic_reports", "analytics_dashboard", "custom_reports"],
    permissions=[
        PermissionDefinition(
            id="analytics.view",
            label_key="analytics.permissions.view",
            description_key="analytics.permissions.view_desc",
            category="analytics",
        ),
        PermissionDefinition(
            id="analytics.export",
            label_key="analytics.permissions.export",
            description_key="analytics.permissions.export_desc",
            category="analytics",
        ),
        PermissionDefinition(
            id="analytics.reports.manage",
            label_key="analytics.permissions.reports_manage",
            description_key="analytics.permissions.reports_manage_desc",
            category="analytics",
        ),
    ],
)
