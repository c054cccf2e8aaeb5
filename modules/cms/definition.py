"""Definition of the Content module."""

from __future__ import annotations

from modules.contracts.events import StorefrontContentChanged
from modules.contracts.sitemap import PlatformSitemapSource, SitemapSource
from orion_server.modules.base import MenuItem, ModuleDefinition, PermissionDefinition
from orion_server.modules.enums import FrontendType

cms_module = ModuleDefinition(
    code="cms",
    name="Content",
    description="Content pages, media library and themes.",
    version="1.0.0",
    is_core=True,
    is_internal=False,
    requires=[],
    features=["content_pages", "media_library", "themes"],
    permissions=[
        PermissionDefinition(
            id="cms.pages.view",
            label_key="cms.permissions.pages_view",
            description_key="cms.permissions.pages_view_desc",
            category="cms",
        ),
        PermissionDefinition(
            id="cms.pages.edit",
            label_key="cms.permissions.pages_edit",
            description_key="cms.permissions.pages_edit_desc",
            category="cms",
        ),
        PermissionDefinition(
            id="cms.pages.publish",
            label_key="cms.permissions.pages_publish",
            description_key="cms.permissions.pages_publish_desc",
            category="cms",
        ),
    ],
    menu_items={
        FrontendType.STORE: [
            MenuItem(
                id="cms-content",
                label_key="cms.menu.content",
                path="/store/{store_code}/content",
                permission="cms.pages.view",
                icon="file-text",
                order=60,
            ),
        ],
        FrontendType.ADMIN: [
            MenuItem(
                id="cms-content",
                label_key="cms.menu.content",
                path="/admin/content",
                icon="file-text",
                order=60,
            ),
        ],
    },
    context_providers={
        FrontendType.PLATFORM: ".context:platform_context",
        FrontendType.STOREFRONT: ".context:storefront_context",
    },
    listeners={StorefrontContentChanged: ".listeners:on_storefront_content_changed"},
    provides={
        SitemapSource: ".sitemap:ContentPagesSitemap",
        PlatformSitemapSource: ".sitemap:PlatformPagesSitemap",
    },
)
