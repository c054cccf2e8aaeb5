"""Definition of the Content module."""

from __future__ import annotations

from typing import Any

from orion_server.modules.base import MenuItem, ModuleDefinition, PermissionDefinition
from orion_server.modules.enums import FrontendType


def _language(request: Any) -> str | None:
    return getattr(request.state, "language", None)


def _get_platform_context(request: Any, db: Any, platform: Any) -> dict[str, Any]:
    """Header, footer and legal pages of the platform, titled in the request's language."""
    from modules.cms.services import content_page_service

    platform_id = platform.id if platform else None
    pages = content_page_service.list_platform_pages(db, platform_id=platform_id)
    language = _language(request)
    return {
        "header_pages": content_page_service.links(
            [p for p in pages if p.show_in_header], language
        ),
        "footer_pages": content_page_service.links(
            [p for p in pages if p.show_in_footer], language
        ),
        "legal_pages": content_page_service.links([p for p in pages if p.is_legal], language),
    }


def _get_storefront_context(request: Any, db: Any, platform: Any) -> dict[str, Any]:
    """Header and footer pages of the request's store (its own pages override the platform's)."""
    from modules.cms.services import content_page_service

    store = getattr(request.state, "store", None)
    if store is None or platform is None:
        return {"header_pages": [], "footer_pages": []}
    pages = content_page_service.list_pages_for_store(
        db, platform_id=platform.id, store_id=store.id
    )
    language = _language(request)
    return {
        "header_pages": content_page_service.links(
            [p for p in pages if p.show_in_header], language
        ),
        "footer_pages": content_page_service.links(
            [p for p in pages if p.show_in_footer], language
        ),
    }


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
        PermissionDefinition(
            id="cms.media.manage",
            label_key="cms.permissions.media_manage",
            description_key="cms.permissions.media_manage_desc",
            category="cms",
        ),
        PermissionDefinition(
            id="cms.themes.manage",
            label_key="cms.permissions.themes_manage",
            description_key="cms.permissions.themes_manage_desc",
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
        FrontendType.PLATFORM: _get_platform_context,
        FrontendType.STOREFRONT: _get_storefront_context,
    },
    services_path="modules.cms.services",
    models_path="modules.cms.models",
    schemas_path="modules.cms.schemas",
    exceptions_path="modules.cms.exceptions",
)
