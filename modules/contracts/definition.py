"""Definition of the Contracts module."""

from orion_server.modules.base import ModuleDefinition

contracts_module = ModuleDefinition(
    code="contracts",
    name="Contracts",
    description="Cross-module protocols and interfaces: metrics, widgets, payment gateways.",
    version="1.0.0",
    is_core=True,
    is_internal=False,
    requires=[],
    features=["service_protocols"],
)
