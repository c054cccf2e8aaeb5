"""Definition of the Developer Tools module."""

from orion_server.modules.base import MenuItem, ModuleDefinition
from orion_server.modules.enums import FrontendType

dev_tools_module = ModuleDefinition(
    code="dev-tools",
    name="Developer Tools",
    description="Component library, icon browser and module explorer.",
    version="1.0.0",
    is_core=False,
    is_internal=True,
    requires=[],
    features=["component_library", "icon_browser", "module_explorer"],
    menu_items={
        FrontendType.ADMIN: [
            MenuItem(
                id="dev-tools-components",
                label_key="dev_tools.menu.components",
                path="/admin/dev-tools/components",
                icon="layout",
                order=95,
            ),
            MenuItem(
                id="dev-tools-icons",
                label_key="dev_tools.menu.icons",
                path="/admin/dev-tools/icons",
                icon="feather",
                order=96,
            ),
            MenuItem(
                id="dev-tools-modules",
                label_key="dev_tools.menu.modules",
                path="/admin/dev-tools/modules",
                icon="git-branch",
                order=97,
            ),
        ],
    },
)
