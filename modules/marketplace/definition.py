"""Definition of the Marketplace module."""

from orion_server.modules.base import ModuleDefinition

marketplace_module = ModuleDefinition(
    code="marketplace",
    name="Marketplace",
    description="Letzshop integration: product import and export, marketplace orders.",
    version="1.0.0",
    is_core=False,
    is_internal=False,
    requires=["inventory"],
    features=["letzshop_export", "letzshop_import", "marketplace_orders"],
)
