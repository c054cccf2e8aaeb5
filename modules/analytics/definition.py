"""Definition of the Analytics & Reporting module."""

from modules.contracts.events import OrderStatusChanged
from orion_server.modules.base import MenuItem, ModuleDefinition, PermissionDefinition
from orion_server.modules.enums import FrontendType

analytics_module = ModuleDefinition(
    code="analytics",
    name="Analytics & Reporting",
    description="Sales, products, customers and VAT reports with charts and CSV exports.",
    version="1.0.0",
    is_core=False,
    is_internal=False,
    requires=[],
    # the daily aggregates the reports read follow every order's changes
    listeners={OrderStatusChanged: ".listeners:on_order_status_changed"},
    widget_provider=".widgets:AnalyticsWidgets",
    metrics_provider=".widgets:AnalyticsMetrics",
    # the billing tiers' feature codes (FEATURE_MIN_TIER): what each plan opens here
    features=["basic_analytics", "analytics_dashboard", "advanced_analytics", "custom_reports"],
    permissions=[
        PermissionDefinition(
            id="analytics.view",
            label_key="analytics.permissions.view",
            description_key="analytics.permissions.view_desc",
            category="analytics",
        ),
        PermissionDefinition(
            id="analytics.reports.manage",
            label_key="analytics.permissions.reports_manage",
            description_key="analytics.permissions.reports_manage_desc",
            category="analytics",
        ),
    ],
    menu_items={
        FrontendType.STORE: [
            MenuItem(
                id="analytics",
                label_key="analytics.menu.reports",
                path="/store/{store_code}/analytics",
                permission="analytics.view",
                icon="bar-chart",
                order=60,
            ),
        ],
        FrontendType.ADMIN: [
            MenuItem(
                id="analytics-admin",
                label_key="analytics.menu.platform_report",
                path="/admin/analytics",
                icon="bar-chart",
                order=40,
            ),
        ],
    },
)
