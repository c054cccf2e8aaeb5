"""Definition of the Content module."""

from orion_server.modules.base import ModuleDefinition, PermissionDefinition

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
    services_path="modules.cms.services",
    models_path="modules.cms.models",
    schemas_path="modules.cms.schemas",
    exceptions_path="modules.cms.exceptions",
)
