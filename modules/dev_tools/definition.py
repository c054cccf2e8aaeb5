"""Definition of the Developer Tools module."""

from orion_server.modules.base import ModuleDefinition

dev_tools_module = ModuleDefinition(
    code="dev-tools",
    name="Developer Tools",
    description="Component library and icon browser.",
    version="1.0.0",
    is_core=False,
    is_internal=True,
    requires=[],
    features=["component_library", "icon_browser"],
)
