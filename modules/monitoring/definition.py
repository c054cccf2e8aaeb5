"""Definition of the Monitoring module."""

from modules.contracts.errors import ErrorRecorder
from orion_server.modules.base import MenuItem, ModuleDefinition
from orion_server.modules.enums import FrontendType

monitoring_module = ModuleDefinition(
    code="monitoring",
    name="Monitoring",
    description="Logs, background tasks and health of the installation.",
    version="1.0.0",
    is_core=False,
    is_internal=True,
    requires=[],
    features=["logs", "task_queue", "health"],
    provides={ErrorRecorder: ".providers:KeepErrors"},
    menu_items={
        FrontendType.ADMIN: [
            MenuItem(
                id="monitoring-health",
                label_key="monitoring.menu.health",
                path="/admin/monitoring/health",
                icon="activity",
                order=90,
            ),
            MenuItem(
                id="monitoring-errors",
                label_key="monitoring.menu.errors",
                path="/admin/monitoring/errors",
                icon="alert-triangle",
                order=91,
            ),
            MenuItem(
                id="monitoring-logs",
                label_key="monitoring.menu.logs",
                path="/admin/monitoring/logs",
                icon="file-text",
                order=92,
            ),
            MenuItem(
                id="monitoring-tasks",
                label_key="monitoring.menu.tasks",
                path="/admin/monitoring/tasks",
                icon="clock",
                order=93,
            ),
        ],
    },
)
