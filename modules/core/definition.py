"""Definition of the Core module."""

from modules.contracts.sitemap import PlatformSitemapSource, SitemapSource
from modules.contracts.tier_limits import PlanUsage
from orion_server.modules.base import MenuItem, ModuleDefinition, PermissionDefinition
from orion_server.modules.enums import FrontendType

core_module = ModuleDefinition(
    code="core",
    name="Core",
    description="Dashboard, settings and profile: the basic operation of every platform.",
    version="1.0.0",
    is_core=True,
    is_internal=False,
    requires=[],
    features=["dashboard", "settings", "profile"],
    permissions=[
        PermissionDefinition(
            id="core.dashboard.view",
            label_key="core.permissions.dashboard_view",
            description_key="core.permissions.dashboard_view_desc",
            category="core",
        ),
        PermissionDefinition(
            id="core.settings.view",
            label_key="core.permissions.settings_view",
            description_key="core.permissions.settings_view_desc",
            category="core",
        ),
        PermissionDefinition(
            id="core.settings.edit",
            label_key="core.permissions.settings_edit",
            description_key="core.permissions.settings_edit_desc",
            category="core",
        ),
        PermissionDefinition(
            id="core.audit.view",
            label_key="core.permissions.audit_view",
            description_key="core.permissions.audit_view_desc",
            category="core",
        ),
        PermissionDefinition(
            id="core.support.end",
            label_key="core.permissions.support_end",
            description_key="core.permissions.support_end_desc",
            category="core",
        ),
        PermissionDefinition(
            id="core.admins.manage",
            label_key="core.permissions.admins_manage",
            description_key="core.permissions.admins_manage_desc",
            category="core",
            scope="admin",
        ),
        PermissionDefinition(
            id="core.team.manage",
            label_key="core.permissions.team_manage",
            description_key="core.permissions.team_manage_desc",
            category="core",
        ),
    ],
    menu_items={
        FrontendType.ADMIN: [
            MenuItem(id="audit", label_key="core.menu.audit", path="/admin/audit", icon="list", order=85),
            MenuItem(id="admins", label_key="core.menu.admins", path="/admin/users", icon="users", order=90,
                     permission="core.admins.manage"),
        ],
        FrontendType.STORE: [
            MenuItem(id="home", label_key="core.menu.home", path="/store/{store_code}/", icon="home", order=0),
            MenuItem(id="settings", label_key="core.menu.settings", path="/store/{store_code}/settings", icon="settings",
                     order=98, permission="core.settings.view"),
            MenuItem(id="team", label_key="core.menu.team", path="/store/{store_code}/team", icon="users", order=92,
                     permission="core.team.manage"),
            MenuItem(id="audit", label_key="core.menu.audit", path="/store/{store_code}/audit", icon="list", order=95,
                     permission="core.audit.view"),
        ],
    },
    health_check=".health:check_core_health",
    provides={
        PlanUsage: ".usage:TeamPlanUsage",
        SitemapSource: ".sitemap:HomePageSitemap",
        PlatformSitemapSource: ".sitemap:PlatformHomeSitemap",
    },
)
