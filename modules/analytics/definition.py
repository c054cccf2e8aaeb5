"""Definition of the Analytics & Reporting module."""

from orion_server.modules.base import ModuleDefinition

analytics_module = ModuleDefinition(
    code="analytics",
    name="Analytics & Reporting",
    description="Dashboard analytics, custom reports and data exports.",
    version="1.0.0",
    is_core=False,
    is_internal=False,
    requires=[],
    features=["basic_reports", "analytics_dashboard", "custom_reports"],
)
