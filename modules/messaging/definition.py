"""Definition of the Messaging module."""

from orion_server.modules.base import ModuleDefinition, PermissionDefinition

messaging_module = ModuleDefinition(
    code="messaging",
    name="Messaging",
    description="Messages, notifications and email templates.",
    version="1.0.0",
    is_core=True,
    is_internal=False,
    requires=[],
    features=["email_templates", "notifications", "conversations"],
    permissions=[
        PermissionDefinition(
            id="messaging.view",
            label_key="messaging.permissions.view",
            description_key="messaging.permissions.view_desc",
            category="messaging",
        ),
        PermissionDefinition(
            id="messaging.send",
            label_key="messaging.permissions.send",
            description_key="messaging.permissions.send_desc",
            category="messaging",
        ),
        PermissionDefinition(
            id="messaging.templates.manage",
            label_key="messaging.permissions.templates_manage",
            description_key="messaging.permissions.templates_manage_desc",
            category="messaging",
        ),
    ],
    services_path="modules.messaging.services",
    models_path="modules.messaging.models",
    schemas_path="modules.messaging.schemas",
    exceptions_path="modules.messaging.exceptions",
)
